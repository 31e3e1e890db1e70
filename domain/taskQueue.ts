export const DEFAULT_TASK_QUEUE = 'seatflow-bookings';

export function bookingWorkflowId(bookingId: string): string {
  return `booking-${bookingId}`;
}

/** The cancellation saga of a confirmed booking: one at a time per booking. */
export function cancellationWorkflowId(bookingId: string): string {
  return `cancel-${bookingId}`;
}

/** The refund of a payment that reached no running booking workflow (it had closed, or never existed). */
export function refundWorkflowId(paymentId: string): string {
  return `refund-${paymentId}`;
}
