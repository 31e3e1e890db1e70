import type { Context, Next } from 'koa';
import { callerOf } from '../policies/caller';
import { ErrorCode } from '../../domain/errorCodes';
import type { ApiDeps } from '../deps';
import { AppError, rateLimited } from '../errors';
import { addressKey, clientAddress } from '../rateLimits/clientAddress';
import {
  rateLimitHeader,
  rateLimitPolicyHeader,
  retryAfterSeconds,
  type ServiceLimit,
} from '../rateLimits/headers';
import type { BucketScope, RateLimitPolicy } from '../rateLimits/policies';
import { giveBack, take, type Bucket } from '../rateLimits/rateLimits';

const REFUSALS: Record<BucketScope, string> = {
  'per-user': 'Too many requests from this user',
  'per-address': 'Too many requests from this address',
  'failed-holds': 'Too many of your holds failed because the seats were taken',
};

/**
 * Limits a route by a named policy (api/rateLimits/policies.ts), before any work is done: a request
 * over a limit gets 429 RATE_LIMITED with `Retry-After`, and holds nothing. Counted by user first
 * (the token's user; without a token, the `userId` the body claims), by client address second.
 * Every answer carries `RateLimit-Policy` and `RateLimit` (docs/api.md#rate-limits).
 *
 * A policy with a failed-holds budget (checkout) also slows seat probing: each hold reserves one
 * failed hold before it starts and gives it back unless the seats were taken, so a buyer past the
 * budget is refused before the next hold is tried, however many requests are sent at once.
 */
export function rateLimit(deps: Pick<ApiDeps, 'rateLimits'>, policy: RateLimitPolicy) {
  const limits = deps.rateLimits;
  const { perUser, perAddress, failedHolds } = limits.policy(policy);
  const buckets = [perUser, perAddress, failedHolds].filter((b): b is Bucket => b !== undefined);
  const policyHeader = rateLimitPolicyHeader(
    buckets.map((b) => ({ scope: b.scope, quota: b.quota, windowSeconds: b.windowSeconds })),
  );

  return async function limitRate(ctx: Context, next: Next): Promise<void> {
    if (buckets.length === 0) return next();
    ctx.set('RateLimit-Policy', policyHeader);
    const userId = requestingUser(ctx);
    const reported: ServiceLimit[] = [];
    // A request counted by nothing (no user, and the address limit off) gets no RateLimit field: it cannot be empty.
    const report = () => {
      if (reported.length > 0) ctx.set('RateLimit', rateLimitHeader(reported));
    };

    const check = async (bucket: Bucket | undefined, key: string | undefined): Promise<boolean> => {
      if (!bucket || key === undefined) return false;
      let outcome;
      try {
        outcome = await take(bucket, key);
      } catch (err) {
        console.error(`[api] rate limit ${policy}/${bucket.scope} could not count, request let through:`, err);
        return false;
      }
      reported.push({ scope: bucket.scope, remaining: outcome.remaining, msBeforeNext: outcome.msBeforeNext });
      if (outcome.allowed) return true;
      report();
      const retryAfter = retryAfterSeconds(outcome.msBeforeNext);
      ctx.set('Retry-After', String(retryAfter));
      throw rateLimited(`${REFUSALS[bucket.scope]}: try again in ${retryAfter} s`, {
        policy: bucket.scope,
        limit: bucket.quota,
        windowSeconds: bucket.windowSeconds,
        retryAfterSeconds: retryAfter,
      });
    };

    await check(perUser, userId);
    await check(perAddress, addressKey(clientAddress(ctx.req, limits.trustProxy)));
    const reserved = await check(failedHolds, userId);
    report();
    if (!reserved || !failedHolds || userId === undefined) return next();

    let seatsTaken = false;
    try {
      await next();
    } catch (err) {
      seatsTaken = err instanceof AppError && (err.code === ErrorCode.SeatUnavailable || err.code === ErrorCode.SeatAlreadyBooked);
      throw err;
    } finally {
      if (!seatsTaken) await giveBackReservation(failedHolds, userId, reported, report);
    }
  };
}

/**
 * Who the request counts against. A token's user is proven. Without a token (only possible with
 * AUTH_REQUIRED off), the body's `userId` is a claim: it is counted, which stops an honest client
 * that loops, but a client can name a new user on every request, so the address limit is what
 * binds such clients; and naming someone else only spends that name's budget, as anyone may book
 * as anyone with auth off. Staff acting for a buyer count as themselves.
 */
function requestingUser(ctx: Context): string | undefined {
  const { principal } = callerOf(ctx);
  if (principal) return principal.userId;
  const body = ctx.state.body as { userId?: unknown } | undefined;
  const claimed = body && typeof body === 'object' ? body.userId : undefined;
  if (typeof claimed !== 'string') return undefined;
  // Only what validation would accept later; anything else counts by address alone (and fails validation).
  const userId = claimed.trim();
  return userId.length > 0 && userId.length <= 128 ? userId : undefined;
}

async function giveBackReservation(
  bucket: Bucket,
  userId: string,
  reported: ServiceLimit[],
  report: () => void,
): Promise<void> {
  try {
    await giveBack(bucket, userId);
  } catch (err) {
    console.error('[api] rate limit: could not give back a reserved failed hold:', err);
    return;
  }
  const state = reported.find((l) => l.scope === bucket.scope);
  if (state) state.remaining = Math.min(bucket.quota, state.remaining + 1);
  report();
}
