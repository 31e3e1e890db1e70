import type { Env } from '../../config/env';
import type { EventTerms } from '../../domain/event';
import type { EventTermsCache } from '../realtime/eventTermsCache';
import { QueueFeed } from '../realtime/queueFeed';
import { createAdmissionTokens, type AdmissionTokens } from './admissionTokens';
import { commitmentOf } from '../../queues/fairDraw';
import { createMemoryQueueStore } from '../../queues/memoryQueueStore';
import type { QueueStore } from '../../queues/queueStore';
import { createRedisQueueStore, type QueueRedis } from '../../queues/redisQueueStore';
import { createClient } from 'redis';
import type { RedisHealth } from '../lifecycle/redisHealth';

/** What the waiting room's routes, middleware, sockets and admission activities share on one API node. */
export interface WaitingRoom {
  store: QueueStore;
  tokens: AdmissionTokens;
  feed: QueueFeed;
  /** The event's fair-draw seed (kept per node once read: it never changes). */
  seedOf(eventId: string): Promise<string>;
  commitmentOf(eventId: string): Promise<string>;
  /**
   * The event's terms (its room, onSaleAt) from the node's event cache: an on-sale's joins and
   * checks must not each cost a database query, and a change (NOTIFY event_changed) shows at once.
   */
  termsOf(eventId: string): Promise<EventTerms | undefined>;
  close(): Promise<void>;
}

export function createWaitingRoom(store: QueueStore, tokenSecret: string, events: Pick<EventTermsCache, 'get'>): WaitingRoom {
  const seeds = new Map<string, Promise<string>>();
  const seedOf = (eventId: string) => {
    let seed = seeds.get(eventId);
    if (!seed) {
      seed = store.seed(eventId);
      seed.catch(() => seeds.delete(eventId));
      seeds.set(eventId, seed);
    }
    return seed;
  };
  return {
    store,
    tokens: createAdmissionTokens(tokenSecret),
    feed: new QueueFeed(),
    seedOf,
    commitmentOf: async (eventId) => commitmentOf(await seedOf(eventId)),
    termsOf: (eventId) => events.get(eventId),
    close: () => store.close(),
  };
}

/**
 * The node's waiting room as configured: queues in Redis when REDIS_URL is set (`npm start` sets it
 * when a Redis answers on 127.0.0.1:6379), else in this process's memory, for one API node.
 */
export async function createWaitingRoomFor(
  env: Pick<Env, 'redisUrl' | 'waitingRoomRedisPrefix' | 'admissionTokenSecret'>,
  events: Pick<EventTermsCache, 'get'>,
  redisHealth?: RedisHealth,
  log = (line: string) => console.log(`[api] waiting room: ${line}`),
): Promise<WaitingRoom> {
  if (!env.redisUrl) return createWaitingRoom(createMemoryQueueStore(), env.admissionTokenSecret, events);
  // Like the rate limits' connection: commands fail at once while Redis is away (the buyer gets 503,
  // not a hang), and the node starts and serves the rest without waiting for Redis.
  const redis: QueueRedis = createClient({ url: env.redisUrl, disableOfflineQueue: true });
  if (redisHealth) redisHealth.watch('waiting-room queues', redis);
  else redis.on('error', (err: Error) => log(`Redis: ${err.message}`));
  const connected = redis.connect().catch((err: Error) => log(`Redis connection gave up: ${err.message}`));
  // A Redis that answers (the usual case) is waited for briefly, so the first joins find it; one that does not, never.
  await Promise.race([connected, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
  return createWaitingRoom(createRedisQueueStore(redis, env.waitingRoomRedisPrefix), env.admissionTokenSecret, events);
}
