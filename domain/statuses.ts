/** Lifecycle of one booking; the same strings are the BookingStatus search attribute. */
export const BOOKING_STATUSES = ['PENDING', 'HELD', 'CONFIRMED', 'EXPIRED', 'CANCELLED', 'REJECTED'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

// BLOCKED: not for sale (staff hold it back); it belongs to no booking.
export const SEAT_STATUSES = ['AVAILABLE', 'HELD', 'BOOKED', 'BLOCKED'] as const;
export type SeatStatus = (typeof SEAT_STATUSES)[number];

/** What happened to money we received: applied to a booking, or owed back to the buyer. */
export type PaymentDisposition = 'APPLIED' | 'OWED_BACK';
