import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { BookingState, PaymentFailureNotice, PaymentNotice } from './booking';
import type { CancellationState, RefundProgress } from './payments';

/** Answers once the seats are held (or throws SEAT_UNAVAILABLE): the early return of checkout. */
export const holdUpdate = defineUpdate<BookingState>('hold');
/** Pay from the API with a payment token; answers CONFIRMED or throws HOLD_EXPIRED. */
export const confirmUpdate = defineUpdate<BookingState, [{ paymentToken: string; receivedAt: string }]>('confirm');
/** Release the hold now; answers CANCELLED or throws NOT_CANCELLABLE. */
export const cancelUpdate = defineUpdate<BookingState>('cancel');
/**
 * Move the hold's expiry later by `seconds` (default: the event's hold time), within the server's
 * limits; answers the booking with its new expiry, or throws EXTENSION_LIMIT / HOLD_EXPIRED / BOOKING_CLOSED.
 */
export const extendHoldUpdate = defineUpdate<BookingState, [{ seconds?: number }]>('extendHold');

/** From the payment webhook. */
export const paymentSucceededSignal = defineSignal<[PaymentNotice]>('paymentSucceeded');
export const paymentFailedSignal = defineSignal<[PaymentFailureNotice]>('paymentFailed');

export const statusQuery = defineQuery<BookingState>('status');
/** The cancellation saga's current step, outcome and refund. */
export const cancellationStatusQuery = defineQuery<CancellationState>('cancellationStatus');
/** A refund workflow's refund, as it progresses. */
export const refundProgressQuery = defineQuery<RefundProgress | null>('refundProgress');
