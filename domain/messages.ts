import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { BookingState, PaymentFailureNotice, PaymentNotice } from './booking';

/** Answers once the seats are held (or throws SEAT_UNAVAILABLE): the early return of checkout. */
export const holdUpdate = defineUpdate<BookingState>('hold');
/** Pay from the API with a payment token; answers CONFIRMED or throws HOLD_EXPIRED. */
export const confirmUpdate = defineUpdate<BookingState, [{ paymentToken: string; receivedAt: string }]>('confirm');
/** Release the hold now; answers CANCELLED or throws NOT_CANCELLABLE. */
export const cancelUpdate = defineUpdate<BookingState>('cancel');

/** From the payment webhook. */
export const paymentSucceededSignal = defineSignal<[PaymentNotice]>('paymentSucceeded');
export const paymentFailedSignal = defineSignal<[PaymentFailureNotice]>('paymentFailed');

export const statusQuery = defineQuery<BookingState>('status');
