import type { BookingRecord, BookingState } from '../../domain/booking';

/** The booking as every endpoint answers it, whether read from the workflow or from the database. */
export interface BookingResponse {
  id: string;
  workflowId: string;
  status: string;
  eventId: string;
  userId: string;
  seatNumbers: number[];
  amountCents: number | null;
  expiresAt: string | null;
  /** Times the hold was extended. */
  holdExtensions: number;
  /** Each payment with its disposition, and its refund once one was asked for. */
  payments?: BookingRecord['payments'];
  cancellation?: BookingRecord['cancellation'];
  createdAt?: string;
  updatedAt?: string;
}

export function presentBooking(booking: BookingState | BookingRecord): BookingResponse {
  const base: BookingResponse = {
    id: booking.id,
    workflowId: booking.workflowId,
    status: booking.status,
    eventId: booking.eventId,
    userId: booking.userId,
    seatNumbers: booking.seatNumbers,
    amountCents: booking.amountCents,
    expiresAt: booking.expiresAt,
    // Workflows started before extensions existed report none.
    holdExtensions: booking.holdExtensions ?? 0,
  };
  if ('payments' in booking) {
    return {
      ...base,
      payments: booking.payments,
      cancellation: booking.cancellation,
      createdAt: booking.createdAt,
      updatedAt: booking.updatedAt,
    };
  }
  return base;
}
