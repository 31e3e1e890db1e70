import type { Caller } from './caller';

/**
 * The one rule for things a buyer owns (bookings, their tickets, queue places): a buyer acts on
 * their own only; staff and admin on anyone's. Without a token this holds only where auth is off
 * (development), where anyone may act on anything, as before auth existed.
 *
 * Callers turn `false` into the thing's 404, never a 403: a buyer must not learn that someone
 * else's booking exists.
 */
export function mayActFor(caller: Caller, ownerId: string): boolean {
  const { principal } = caller;
  if (!principal) return !caller.authRequired;
  return principal.role !== 'buyer' || principal.userId === ownerId;
}
