import { ErrorCode } from '../domain/errorCodes';
import { extendHeldBooking } from '../db/queries/holds';
import { businessFailure } from './businessFailure';
import type { ActivityDeps } from './deps';

export function createExtendHold({ pool }: ActivityDeps) {
  /**
   * Moves the hold's expiry in the database (booking and seats) so the backstop follows it.
   * Idempotent: the expiry only ever moves later. Throws HOLD_EXPIRED if the backstop released it first.
   */
  return async function extendHold(bookingId: string, expiresAt: string, extensions: number): Promise<void> {
    const outcome = await extendHeldBooking(pool, bookingId, expiresAt, extensions);
    if (outcome.kind === 'not-held') {
      throw businessFailure(ErrorCode.HoldExpired, `Booking ${bookingId} is ${outcome.status}, not HELD`);
    }
  };
}
