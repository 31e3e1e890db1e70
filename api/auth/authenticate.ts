import type { Context, Next } from 'koa';
import type { Env } from '../../config/env';
import type { Principal, Role } from '../../domain/roles';
import { ErrorCode } from '../../domain/errorCodes';
import { AppError } from '../errors';
import { verifyToken } from './tokens';

export interface AuthSettings {
  /** When false (the development default) requests need no token; a token sent is still checked. */
  required: boolean;
  secret: string;
}

export function authSettingsOf(env: Env): AuthSettings {
  return { required: env.authRequired, secret: env.jwtSecret };
}

export const unauthenticated = (message = 'Send a valid bearer token (Authorization: Bearer …)') =>
  new AppError(ErrorCode.Unauthenticated, message);
export const forbidden = (message: string) => new AppError(ErrorCode.Forbidden, message);

/** Reads the bearer token, if any, into `ctx.state.principal`. A bad token is always a 401. */
export function authenticate(settings: AuthSettings) {
  return async function readPrincipal(ctx: Context, next: Next): Promise<void> {
    const header = ctx.get('Authorization');
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const principal = match ? await verifyToken(settings.secret, match[1]) : undefined;
      if (!principal) throw unauthenticated('The bearer token is invalid or expired');
      ctx.state.principal = principal;
    } else if (settings.required && !isPublic(ctx)) {
      throw unauthenticated();
    }
    await next();
  };
}

// Reachable without a token even when auth is on: the provider's webhook (signed instead) and
// everything public to read: health, events and their seat maps, the seat-map page. Bookings and
// users are never public.
function isPublic(ctx: Context): boolean {
  if (ctx.path.startsWith('/webhooks/')) return true;
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return false;
  return !ctx.path.startsWith('/bookings') && !ctx.path.startsWith('/users');
}

export function principalOf(ctx: Context): Principal | undefined {
  return ctx.state.principal as Principal | undefined;
}

/** Staff-only operations: with auth on, the token's role must be one of `roles`. */
export function requireRole(settings: AuthSettings, ...roles: Role[]) {
  return async function checkRole(ctx: Context, next: Next): Promise<void> {
    if (settings.required) {
      const principal = principalOf(ctx);
      if (!principal) throw unauthenticated();
      if (!roles.includes(principal.role)) throw forbidden(`This needs one of the roles: ${roles.join(', ')}`);
    }
    await next();
  };
}

/**
 * The user a buyer request acts for: with a token, the token's user (a buyer naming someone else is
 * refused); without one (auth off only), the user the request names.
 */
export function actingUserId(ctx: Context, settings: AuthSettings, requested: string | undefined): string {
  const principal = principalOf(ctx);
  if (!principal) {
    if (settings.required) throw unauthenticated();
    if (!requested) throw new AppError(ErrorCode.ValidationFailed, 'userId is required');
    return requested;
  }
  if (requested && requested !== principal.userId && principal.role === 'buyer') {
    throw forbidden('userId must be the token’s user');
  }
  return requested ?? principal.userId;
}

/** Whether the caller may see or change a booking of `ownerId` (others' bookings answer 404). */
export function mayAccessBooking(ctx: Context, settings: AuthSettings, ownerId: string): boolean {
  const principal = principalOf(ctx);
  if (!principal) return !settings.required;
  return principal.role !== 'buyer' || principal.userId === ownerId;
}
