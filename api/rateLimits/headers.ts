/**
 * The IETF rate-limit header fields, as draft-ietf-httpapi-ratelimit-headers-11 (May 2026) writes
 * them: Structured Field lists, one item per policy, named by a string.
 *
 *   RateLimit-Policy: "per-user";q=30;w=60, "per-address";q=6000;w=60
 *   RateLimit: "per-user";r=12;t=40
 *
 * `q` is the quota and `w` the window in seconds; `r` is what is left and `t` the seconds until the
 * window ends.
 */
import type { BucketScope } from './policies';

export interface AdvertisedPolicy {
  scope: BucketScope;
  quota: number;
  windowSeconds: number;
}

export interface ServiceLimit {
  scope: BucketScope;
  remaining: number;
  /** Milliseconds until the counter's window ends. */
  msBeforeNext: number;
}

export function rateLimitPolicyHeader(policies: AdvertisedPolicy[]): string {
  return policies.map((p) => `"${p.scope}";q=${p.quota};w=${p.windowSeconds}`).join(', ');
}

export function rateLimitHeader(limits: ServiceLimit[]): string {
  return limits.map((l) => `"${l.scope}";r=${Math.max(0, l.remaining)};t=${secondsUntil(l.msBeforeNext)}`).join(', ');
}

/** Whole seconds, rounded up, so a client that waits that long finds the window over. */
export function secondsUntil(ms: number): number {
  return Math.max(0, Math.ceil(ms / 1000));
}

/** `Retry-After` on a 429: the end of the window that refused, and never less than a second. */
export function retryAfterSeconds(msBeforeNext: number): number {
  return Math.max(1, secondsUntil(msBeforeNext));
}
