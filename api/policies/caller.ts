/**
 * The policies: who may read or act on what, decided here and nowhere else (as Outline's
 * `authorize`). Every route asks them:
 *   - caller.ts       who is asking (`callerOf(ctx)`), and the user a buyer request acts for;
 *   - authorize.ts    role-based actions (create an event, check tickets in, payments);
 *   - ownership.ts    the one rule for things a buyer owns: their own only;
 *   - bookings.ts, tickets.ts, payments.ts: `load<Thing>For(deps, caller, id)`, which answer the
 *     thing or the thing's 404, the same as for one that does not exist (no existence leak).
 * A new owned resource (a waiting-room queue place, say) gets its own `loadQueuePlaceFor(deps,
 * caller, eventId, queueId)` beside these, built on `mayActFor(caller, ownerId)`.
 */
import type { Context } from 'koa';
import type { Principal } from '../../domain/roles';
import { AppError, validationFailed } from '../errors';
import { ErrorCode } from '../../domain/errorCodes';

/** Who is asking: the verified token's principal, if one was sent, and whether this deployment requires one. */
export interface Caller {
  principal: Principal | undefined;
  authRequired: boolean;
}

/** The request's caller, as the authenticate middleware read it. */
export function callerOf(ctx: Context): Caller {
  const caller = ctx.state.caller as Caller | undefined;
  if (!caller) throw new Error('No caller on this request: the authenticate middleware must run before the routes');
  return caller;
}

const unauthenticated = (message: string) => new AppError(ErrorCode.Unauthenticated, message);

/** The caller's principal, for what only makes sense with a token ("my bookings"), with auth on or off. */
export function principalOrThrow(caller: Caller, message = 'Send a valid bearer token (Authorization: Bearer …)'): Principal {
  if (!caller.principal) throw unauthenticated(message);
  return caller.principal;
}

/**
 * The user a buyer request acts for: with a token, the token's user (a buyer naming someone else is
 * refused; staff may name anyone); without one (auth off only), the user the request names.
 */
export function actingUserIdFor(caller: Caller, requested: string | undefined): string {
  const { principal } = caller;
  if (!principal) {
    if (caller.authRequired) throw unauthenticated('Send a valid bearer token (Authorization: Bearer …)');
    if (!requested) throw validationFailed('userId is required');
    return requested;
  }
  if (requested && requested !== principal.userId && principal.role === 'buyer') {
    throw new AppError(ErrorCode.Forbidden, 'userId must be the token’s user');
  }
  return requested ?? principal.userId;
}
