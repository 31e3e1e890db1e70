import { ErrorCode } from '../domain/errorCodes';
import type { PaymentNotice } from '../domain/booking';
import { confirmHeldBooking } from '../db/queries/holds';
import { businessFailure } from './businessFailure';
import type { ActivityDeps } from './deps';

export function createConfirmBooking({ pool }: ActivityDeps) {
  /** Seats BOOKED, booking CONFIRMED, payment APPLIED (none for a free booking): together or not at all. */
  return async function confirmBooking(bookingId: string, payment: PaymentNotice | null): Promise<void> {
    const outcome = await confirmHeldBooking(
      pool,
      bookingId,
      payment && {
        paymentId: payment.paymentId,
        amountCents: payment.amountCents,
        providerEventId: payment.providerEventId ?? null,
      },
    );
    if (outcome.kind === 'not-held') {
      // The database backstop released it first: the sale cannot happen any more.
      throw businessFailure(ErrorCode.HoldExpired, `Booking ${bookingId} is ${outcome.status}, not HELD`);
    }
  };
}
