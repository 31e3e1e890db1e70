import type { Env } from '../../config/env';
import { QueueFeed } from '../realtime/queueFeed';
import { createAdmissionTokens, type AdmissionTokens } from './admissionTokens';
import { commitmentOf } from './fairDraw';
import { createMemoryQueueStore } from './memoryQueueStore';
import type { QueueStore } from './queueStore';
import { createRedisQueueStore, type QueueRedis } from './redisQueueStore';
import { createClient } from 'redis';

/** What the waiting room's routes, middleware, sockets and admission activities share on one API node. */
export interface WaitingRoom {
  store: QueueStore;
  tokens: AdmissionTokens;
  feed: QueueFeed;
  /** The event's fair-draw seed (kept per node once read: it never changes). */
  seedOf(eventId: string): Promise<string>;
  commitmentOf(eventId: string): Promise<string>;
  close(): Promise<void>;
}

export function createWaitingRoom(store: QueueStore, tokenSecret: string): WaitingRoom {
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
    close: () => store.close(),
  };
}

/**
 * The node's waiting room as configured: queues in Redis when REDIS_URL is set (`npm start` sets it
 * when a Redis answers on 127.0.0.1:6379), else in this process's memory, for one API node.
 */
export async function createWaitingRoomFor(
  env: Pick<Env, 'redisUrl' | 'waitingRoomRedisPrefix' | 'admissionTokenSecret'>,
  log = (line: string) => console.log(`[api] waiting room: ${line}`),
): Promise<WaitingRoom> {
  if (!env.redisUrl) return createWaitingRoom(createMemoryQueueStore(), env.admissionTokenSecret);
  const redis: QueueRedis = createClient({ url: env.redisUrl });
  redis.on('error', (err: Error) => log(`Redis: ${err.message}`));
  await redis.connect();
  return createWaitingRoom(createRedisQueueStore(redis, env.waitingRoomRedisPrefix), env.admissionTokenSecret);
}
