import type { Env } from '../../config/env';
import type { RedisHealth } from '../lifecycle/redisHealth';
import { createRateLimits, type RateLimits } from './rateLimits';
import { connectRateLimitRedis } from './redisClient';

/** The node's rate limits as configured: in Redis when `REDIS_URL` is set, in memory otherwise. */
export function createRateLimitsFor(
  env: Env,
  log = (line: string) => console.log(`[api] rate limits: ${line}`),
  redisHealth?: RedisHealth,
): RateLimits {
  return createRateLimits({
    rateLimitPerUser: env.rateLimitPerUser,
    rateLimitPerAddress: env.rateLimitPerAddress,
    rateLimitCheckinPerUser: env.rateLimitCheckinPerUser,
    rateLimitFailedHolds: env.rateLimitFailedHolds,
    trustedProxies: env.trustedProxies,
    redisPrefix: env.rateLimitRedisPrefix,
    redis: env.redisUrl ? connectRateLimitRedis(env.redisUrl, log, redisHealth) : undefined,
    log,
  });
}
