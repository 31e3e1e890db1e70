import type { Env } from '../../config/env';
import { findEventTerms } from '../../db/queries/events';
import type { Pool } from '../../db/pool';
import type { EventTerms } from '../../domain/event';
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
   * The event's terms (its room, onSaleAt), read at most once a second per node: an on-sale's joins
   * and checks must not each cost a database query. A change shows within that second.
   */
  termsOf(eventId: string): Promise<EventTerms | undefined>;
  /** Forgets what termsOf read (after this node changed the event). */
  forgetTerms(eventId: string): void;
  close(): Promise<void>;
}

const TERMS_MAX_AGE_MS = 1_000;

export function createWaitingRoom(store: QueueStore, tokenSecret: string, pool: Pool): WaitingRoom {
  const seeds = new Map<string, Promise<string>>();
  const terms = new Map<string, { at: number; value: Promise<EventTerms | undefined> }>();
  const termsOf = (eventId: string) => {
    const cached = terms.get(eventId);
    if (cached && Date.now() - cached.at < TERMS_MAX_AGE_MS) return cached.value;
    const value = findEventTerms(pool, eventId);
    // Unknown events are not remembered (one may be created the next moment), nor failed reads.
    value.then((found) => (found ? undefined : terms.delete(eventId)), () => terms.delete(eventId));
    if (terms.size > 10_000) terms.clear();
    terms.set(eventId, { at: Date.now(), value });
    return value;
  };
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
    termsOf,
    forgetTerms: (eventId) => void terms.delete(eventId),
    close: () => store.close(),
  };
}

/**
 * The node's waiting room as configured: queues in Redis when REDIS_URL is set (`npm start` sets it
 * when a Redis answers on 127.0.0.1:6379), else in this process's memory, for one API node.
 */
export async function createWaitingRoomFor(
  env: Pick<Env, 'redisUrl' | 'waitingRoomRedisPrefix' | 'admissionTokenSecret'>,
  pool: Pool,
  redisHealth?: RedisHealth,
  log = (line: string) => console.log(`[api] waiting room: ${line}`),
): Promise<WaitingRoom> {
  if (!env.redisUrl) return createWaitingRoom(createMemoryQueueStore(), env.admissionTokenSecret, pool);
  // Like the rate limits' connection: commands fail at once while Redis is away (the buyer gets 503,
  // not a hang), and the node starts and serves the rest without waiting for Redis.
  const redis: QueueRedis = createClient({ url: env.redisUrl, disableOfflineQueue: true });
  if (redisHealth) redisHealth.watch('waiting-room queues', redis);
  else redis.on('error', (err: Error) => log(`Redis: ${err.message}`));
  const connected = redis.connect().catch((err: Error) => log(`Redis connection gave up: ${err.message}`));
  // A Redis that answers (the usual case) is waited for briefly, so the first joins find it; one that does not, never.
  await Promise.race([connected, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
  return createWaitingRoom(createRedisQueueStore(redis, env.waitingRoomRedisPrefix), env.admissionTokenSecret, pool);
}
