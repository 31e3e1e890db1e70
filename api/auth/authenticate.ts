import type { Context, Next } from 'koa';
import { ErrorCode } from '../../domain/errorCodes';
import { AppError } from '../errors';
import type { Caller } from '../policies/caller';
import type { TokenVerifier } from './tokenVerifier';

export interface AuthSettings {
  /** When false (the development default) requests need no token; a token sent is still checked. */
  required: boolean;
  verify: TokenVerifier;
}

export const unauthenticated = (message = 'Send a valid bearer token (Authorization: Bearer …)') =>
  new AppError(ErrorCode.Unauthenticated, message);
export const forbidden = (message: string) => new AppError(ErrorCode.Forbidden, message);

/**
 * Reads the bearer token, if any, into the request's caller (`callerOf(ctx)`, api/policies). A bad
 * token is always a 401; no token is a 401 where auth is required and the route is not public.
 * What the caller may then do is decided in api/policies.
 */
export function authenticate(settings: AuthSettings) {
  return async function readPrincipal(ctx: Context, next: Next): Promise<void> {
    const caller: Caller = { principal: undefined, authRequired: settings.required };
    const header = ctx.get('Authorization');
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const principal = match ? await settings.verify(match[1]) : undefined;
      if (!principal) throw unauthenticated('The bearer token is invalid or expired');
      caller.principal = principal;
    } else if (settings.required && !isPublic(ctx)) {
      throw unauthenticated();
    }
    ctx.state.caller = caller;
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
