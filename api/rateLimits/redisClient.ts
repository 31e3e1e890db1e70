import { createClient } from 'redis';
import type { RedisHealth } from '../lifecycle/redisHealth';

export type RateLimitRedis = ReturnType<typeof createClient>;

/**
 * The rate limiter's own Redis connection. It never blocks start-up and never queues: while Redis
 * is unreachable, commands fail at once (and the counters fall back to memory; a slow answer is
 * timed out in rateLimits.ts). It logs when
 * Redis goes away and when it comes back, not on every retry. One small factory, so the way the
 * node connects to Redis can change in one place.
 */
export function connectRateLimitRedis(url: string, log: (line: string) => void, health?: RedisHealth): RateLimitRedis {
  const client = createClient({ url, disableOfflineQueue: true });
  health?.watch('rate limits', client);
  let unreachable = false;
  client.on('error', (err: Error) => {
    if (unreachable) return;
    unreachable = true;
    log(`Redis unreachable (${err.message}): rate limits count in this node's memory until it is back`);
  });
  client.on('ready', () => {
    if (!unreachable) return;
    unreachable = false;
    log('Redis is back: rate limits are shared by the API nodes again');
  });
  // Reconnects by itself (node-redis retries with back-off); the 'error' handler above reports it.
  client.connect().catch((err: Error) => log(`Redis connection for rate limits gave up: ${err.message}`));
  return client;
}

export async function closeRateLimitRedis(client: RateLimitRedis): Promise<void> {
  if (!client.isOpen) return;
  // Counters are only lost for the requests still in flight, which fall back to memory.
  client.destroy();
}
