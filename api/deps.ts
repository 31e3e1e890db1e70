import type { Client } from '@temporalio/client';
import type { Env } from '../config/env';
import type { Pool } from '../db/pool';
import type { PaymentProvider } from '../payments/paymentProvider';
import type { RedisHealth } from './lifecycle/redisHealth';
import type { CheckoutSlots } from './checkout/checkoutSlots';
import type { LocalBookingWorker } from './checkout/eagerHold';
import type { RateLimits } from './rateLimits/rateLimits';
import type { SeatFeed } from './realtime/seatFeed';
import type { WaitingRoom } from './waitingRoom/waitingRoom';
import type { SeatMapCache } from './realtime/seatMapCache';
import type { EventTermsCache } from './realtime/eventTermsCache';

/** What route handlers may use. Built once in main (or per test) and handed to createApp. */
export interface ApiDeps {
  env: Env;
  pool: Pool;
  temporal: Client;
  /** Who takes payments (checkout's PaymentIntents) and refunds: the simulator or Stripe. */
  payments: PaymentProvider;
  /** This node's stream of committed seat changes (fed by the realtime service). */
  feed: SeatFeed;
  /** This node's compact seat maps, kept current from the feed (GET /events/:id/seat-map). */
  seatMaps: SeatMapCache;
  /** This node's copy of events' rows, forgotten when one changes (GET /events/:id reads no row). */
  eventTerms: EventTermsCache;
  /** The rate limits' counters (in Redis when there is one), used by the `rateLimit(deps, policy)` middleware. */
  rateLimits: RateLimits;
  /** With REDIS_URL: whether this node's Redis connections serve; GET /health says `degraded` while not. */
  redisHealth?: RedisHealth;
  /** This node's bound on checkouts in flight (MAX_CHECKOUTS_IN_FLIGHT): past it, 503 BUSY. */
  checkouts: CheckoutSlots;
  /** The booking worker running in this process (BOOKING_WORKER_IN_API), if any: checkouts then start eagerly. */
  localWorker?: LocalBookingWorker;
  /** The waiting rooms' queues (Redis or this node's memory), admission tokens and queue news. */
  waitingRoom: WaitingRoom;
}
