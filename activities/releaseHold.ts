import type { BookingStatus } from '../domain/statuses';
import { releaseHeldBooking } from '../db/queries/holds';
import type { ActivityDeps } from './deps';

export function createReleaseHold({ pool }: ActivityDeps) {
  /** Seats back to AVAILABLE and the booking closed; returns the booking's status afterwards. */
  return async function releaseHold(
    bookingId: string,
    finalStatus: 'EXPIRED' | 'CANCELLED',
  ): Promise<BookingStatus | undefined> {
    return releaseHeldBooking(pool, bookingId, finalStatus);
  };
}
