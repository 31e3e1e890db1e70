import type { Context, Next } from 'koa';
import type { Role } from '../../domain/roles';
import { AppError } from '../errors';
import { ErrorCode } from '../../domain/errorCodes';
import { callerOf, type Caller } from './caller';

/** Actions that only some roles may take, whatever they act on. */
const ROLES_FOR = {
  'event:create': ['staff', 'admin'],
  'event:update': ['staff', 'admin'],
  'event:blockSeats': ['staff', 'admin'],
  'ticket:checkIn': ['staff', 'admin'],
  'payment:read': ['staff', 'admin'],
  'payment:refund': ['staff', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export type RoleAction = keyof typeof ROLES_FOR;

/**
 * Whether the caller may take a role-based action: 401 without a token where auth is required, 403
 * for a role not allowed. A 403 leaks nothing: it does not depend on what the action is applied to.
 * With auth off (development) these are not enforced, as before auth existed.
 */
export function authorize(caller: Caller, action: RoleAction): void {
  if (!caller.authRequired) return;
  if (!caller.principal) throw new AppError(ErrorCode.Unauthenticated, 'Send a valid bearer token (Authorization: Bearer …)');
  const allowed: readonly Role[] = ROLES_FOR[action];
  if (!allowed.includes(caller.principal.role)) {
    throw new AppError(ErrorCode.Forbidden, `This needs one of the roles: ${allowed.join(', ')}`);
  }
}

/** `authorize` as route middleware: `router.post('/', authorized('event:create'), ...)`. */
export function authorized(action: RoleAction) {
  return async function checkAction(ctx: Context, next: Next): Promise<void> {
    authorize(callerOf(ctx), action);
    await next();
  };
}
