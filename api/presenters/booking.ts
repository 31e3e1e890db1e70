import type { BookingRecord, BookingState } from '../../domain/booking';
import { defaultSeatLabel, type SeatLabel } from '../../domain/layout';

/** The booking as every endpoint answers it, whether read from the workflow or from the database. */
export interface BookingResponse {
  id: string;
  workflowId: string;
  status: string;
  eventId: string;
  userId: string;
  seatNumbers: number[];
  /** Where each seat is (section, row, label, category), in seatNumbers' order. */
  seats: SeatLabel[];
  /** GA bookings: the area and how many places (their ticket numbers are in seatNumbers). */
  area?: string;
  quantity?: number;
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
    // A GA booking holds places, not seats: its area and how many (its tickets number the places).
    seatNumbers: booking.area ? [] : booking.seatNumbers,
    // Bookings from before labels existed are on events without a layout: their default labels.
    seats: booking.area ? [] : (booking.seats ?? booking.seatNumbers.map(defaultSeatLabel)),
    ...(booking.area ? { area: booking.area, quantity: booking.seatNumbers.length } : {}),
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
