import type { Env } from '../../config/env';

/**
 * The rate-limited routes, by policy name (`rateLimit(deps, 'checkout')`):
 * - `checkout`: `POST /bookings` and `POST /events/:id/book`, one budget for both, plus the
 *   failed-holds budget that slows seat probing;
 * - `queueJoin`: the waiting room's `POST /events/:id/queue`, once that route exists:
 *   `router.post('/:id/queue', body, rateLimit(deps, 'queueJoin'), handler)`, after the body is
 *   parsed (so an unauthenticated `userId` can be counted) and before any work;
 * - `checkin`: `POST /checkin`.
 */
export const RATE_LIMIT_POLICIES = ['checkout', 'queueJoin', 'checkin'] as const;
export type RateLimitPolicy = (typeof RATE_LIMIT_POLICIES)[number];

/**
 * What a counter is keyed by. Its name is also the policy name in the `RateLimit-Policy` and
 * `RateLimit` headers.
 */
export type BucketScope = 'per-user' | 'per-address' | 'failed-holds';

/** Every limit counts requests per minute: the unit, and the `w` of every advertised policy. */
export const RATE_LIMIT_WINDOW_SECONDS = 60;

export type RateLimitSettings = Pick<
  Env,
  'rateLimitPerUser' | 'rateLimitPerAddress' | 'rateLimitCheckinPerUser' | 'rateLimitFailedHolds'
>;

/** A policy's limits per scope, in requests per window; 0 means that counter is off. */
export type PolicyLimits = Record<BucketScope, number>;

export function policyLimits(settings: RateLimitSettings, policy: RateLimitPolicy): PolicyLimits {
  switch (policy) {
    case 'checkout':
      return {
        'per-user': settings.rateLimitPerUser,
        'per-address': settings.rateLimitPerAddress,
        'failed-holds': settings.rateLimitFailedHolds,
      };
    case 'queueJoin':
      // Joining a queue holds no seat, so there is nothing to probe.
      return { 'per-user': settings.rateLimitPerUser, 'per-address': settings.rateLimitPerAddress, 'failed-holds': 0 };
    case 'checkin':
      return {
        'per-user': settings.rateLimitCheckinPerUser,
        'per-address': settings.rateLimitPerAddress,
        'failed-holds': 0,
      };
  }
}
