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
  payments?: BookingRecord['payments'];
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
  };
  if ('payments' in booking) {
    return { ...base, payments: booking.payments, createdAt: booking.createdAt, updatedAt: booking.updatedAt };
  }
  return base;
}
