import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  RLWrapperTimeouts,
  type IRateLimiterOptions,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import {
  policyLimits,
  RATE_LIMIT_POLICIES,
  RATE_LIMIT_WINDOW_SECONDS,
  type BucketScope,
  type RateLimitPolicy,
  type RateLimitSettings,
} from './policies';
import { closeRateLimitRedis, type RateLimitRedis } from './redisClient';
import { compileTrustedProxies, type ProxyTrust } from './clientAddress';

/** One counter of one policy: `quota` requests per window per key. */
export interface Bucket {
  scope: BucketScope;
  quota: number;
  windowSeconds: number;
  limiter: RateLimiterAbstract;
}

/** A policy's counters, in the order they are checked: user first, address second, failed holds last. */
export interface PolicyBuckets {
  policy: RateLimitPolicy;
  perUser?: Bucket;
  perAddress?: Bucket;
  failedHolds?: Bucket;
}

export interface RateLimits {
  /** Where the counters live: `redis` (shared by every node) or `memory` (this node alone). */
  store: 'redis' | 'memory';
  trustProxy: ProxyTrust;
  policy(name: RateLimitPolicy): PolicyBuckets;
  close(): Promise<void>;
}

export interface RateLimitOptions extends RateLimitSettings {
  trustedProxies: string[];
  /** Key prefix in Redis, so deployments or test runs sharing one Redis never count together. */
  redisPrefix: string;
  /** Counters in Redis, shared by every API node; without it, each node counts alone in memory. */
  redis?: RateLimitRedis;
  log?: (line: string) => void;
}

// Redis answers a counter in well under a millisecond; past this it is counted in memory instead.
// (node-redis cannot time out a command it has already sent, so the wrapper does.)
const REDIS_TIMEOUT_MS = 500;
// A fallback is logged at most this often, however many requests fall back.
const FALLBACK_LOG_INTERVAL_MS = 60_000;

/** The in-memory counter that stands in for Redis, saying (now and then) that it does. */
class MemoryInsurance extends RateLimiterMemory {
  constructor(
    options: IRateLimiterOptions,
    private readonly noteUse: () => void,
  ) {
    super(options);
  }

  override consume(key: string | number, points?: number, options?: Record<string, unknown>): Promise<RateLimiterRes> {
    this.noteUse();
    return super.consume(key, points, options);
  }

  override reward(key: string | number, points?: number, options?: Record<string, unknown>): Promise<RateLimiterRes> {
    this.noteUse();
    return super.reward(key, points, options);
  }
}

/**
 * Builds every policy's counters with rate-limiter-flexible: in Redis when there is one, with an
 * in-memory counter as its insurance (used whenever Redis cannot answer, so requests are still
 * limited, per node, rather than refused); in memory otherwise.
 */
export function createRateLimits(options: RateLimitOptions): RateLimits {
  const log = options.log ?? ((line: string) => console.log(`[api] rate limits: ${line}`));
  let lastFallbackLog = 0;
  const noteFallback = () => {
    if (Date.now() - lastFallbackLog < FALLBACK_LOG_INTERVAL_MS) return;
    lastFallbackLog = Date.now();
    log(`Redis did not answer (unreachable, or slower than ${REDIS_TIMEOUT_MS} ms): counting in this node's memory`);
  };

  const bucketOf = (policy: RateLimitPolicy, scope: BucketScope, quota: number): Bucket | undefined => {
    if (quota <= 0) return undefined;
    const keyPrefix = `${options.redisPrefix}:${policy}:${scope}`;
    const shape = { points: quota, duration: RATE_LIMIT_WINDOW_SECONDS, keyPrefix };
    if (!options.redis) return { scope, quota, windowSeconds: RATE_LIMIT_WINDOW_SECONDS, limiter: new RateLimiterMemory(shape) };
    const inRedis = new RateLimiterRedis({
      ...shape,
      storeClient: options.redis,
      useRedisPackage: true,
      // Not connected: fail at once (to the insurance) instead of waiting on a dead connection.
      rejectIfRedisNotReady: true,
    });
    const limiter = new RLWrapperTimeouts({
      limiter: inRedis,
      timeoutMs: REDIS_TIMEOUT_MS,
      insuranceLimiter: new MemoryInsurance(shape, noteFallback),
    });
    return { scope, quota, windowSeconds: RATE_LIMIT_WINDOW_SECONDS, limiter };
  };

  const policies = new Map<RateLimitPolicy, PolicyBuckets>();
  for (const policy of RATE_LIMIT_POLICIES) {
    const limits = policyLimits(options, policy);
    policies.set(policy, {
      policy,
      perUser: bucketOf(policy, 'per-user', limits['per-user']),
      perAddress: bucketOf(policy, 'per-address', limits['per-address']),
      failedHolds: bucketOf(policy, 'failed-holds', limits['failed-holds']),
    });
  }

  return {
    store: options.redis ? 'redis' : 'memory',
    trustProxy: compileTrustedProxies(options.trustedProxies),
    policy(name) {
      const buckets = policies.get(name);
      if (!buckets) throw new Error(`unknown rate-limit policy ${name}`);
      return buckets;
    },
    async close() {
      if (options.redis) await closeRateLimitRedis(options.redis);
    },
  };
}

/** What consuming from a counter came to: allowed or refused, with what is left and for how long. */
export interface BucketOutcome {
  allowed: boolean;
  remaining: number;
  msBeforeNext: number;
}

/**
 * Takes one request from a counter. rate-limiter-flexible rejects with a RateLimiterRes when the
 * quota is spent; any other rejection is a store failure that even the insurance could not absorb:
 * that request is let through (a broken counter must not stop checkout) and the caller logs it.
 */
export async function take(bucket: Bucket, key: string): Promise<BucketOutcome> {
  try {
    const res = await bucket.limiter.consume(key);
    return { allowed: true, remaining: res.remainingPoints, msBeforeNext: res.msBeforeNext };
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      return { allowed: false, remaining: 0, msBeforeNext: rejection.msBeforeNext };
    }
    throw rejection;
  }
}

/** Gives a request back to a counter (a reserved failed hold that did not fail). */
export async function giveBack(bucket: Bucket, key: string): Promise<void> {
  await bucket.limiter.reward(key, 1);
}
