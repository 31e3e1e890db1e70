import { ErrorCode } from '../domain/errorCodes';
import {
  beginCancellation as beginCancellationQuery,
  compensateCancellation as compensateCancellationQuery,
  completeCancellation as completeCancellationQuery,
  voidBookingTickets,
} from '../db/queries/cancellations';
import { businessFailure } from './businessFailure';
import type { ActivityDeps } from './deps';

/** The cancellation saga's steps (besides the refund, which is refundPayment). Each is idempotent. */
export function createCancellationSteps({ pool }: ActivityDeps) {
  return {
    /**
     * Checks the booking may be cancelled now and records the request; answers the payment to
     * refund, or `alreadyCancelled`. Throws CANCELLATION_CLOSED past the cutoff, NOT_CANCELLABLE otherwise.
     */
    async beginCancellation(
      bookingId: string,
    ): Promise<{ alreadyCancelled: boolean; payment: { paymentId: string; amountCents: number } | null }> {
      const start = await beginCancellationQuery(pool, bookingId);
      switch (start.kind) {
        case 'started':
          return { alreadyCancelled: false, payment: start.payment };
        case 'already-cancelled':
          return { alreadyCancelled: true, payment: null };
        case 'closed':
          throw businessFailure(ErrorCode.CancellationClosed, `Cancellations closed at ${start.deadline}`, {
            deadline: start.deadline,
          });
        case 'not-cancellable':
          throw businessFailure(ErrorCode.NotCancellable, start.message, { status: start.status });
      }
    },

    /** Voids the booking's valid tickets; answers how many were voided by this call. */
    async voidTickets(bookingId: string): Promise<number> {
      return voidBookingTickets(pool, bookingId);
    },

    /** Booking CANCELLED and its seats AVAILABLE, together. */
    async completeCancellation(bookingId: string): Promise<void> {
      await completeCancellationQuery(pool, bookingId);
    },

    /** The refund was refused: tickets valid again, cancellation COMPENSATED, booking still CONFIRMED. */
    async compensateCancellation(bookingId: string, reason: string): Promise<number> {
      return compensateCancellationQuery(pool, bookingId, reason);
    },
  };
}
