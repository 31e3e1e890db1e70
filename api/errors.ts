import { ErrorCode } from '../domain/errorCodes';

/** An error the API answers with: HTTP status, stable code, a message for people, optional details. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const validationFailed = (message: string, details?: Record<string, unknown>) =>
  new AppError(400, ErrorCode.ValidationFailed, message, details);
export const invalidSeats = (message: string, details?: Record<string, unknown>) =>
  new AppError(400, ErrorCode.InvalidSeats, message, details);
export const soldOut = () => new AppError(400, ErrorCode.SoldOut, 'Event is sold out');
export const eventNotFound = (id: string) => new AppError(404, ErrorCode.EventNotFound, `Event ${id} not found`);
export const bookingNotFound = (id: string) => new AppError(404, ErrorCode.BookingNotFound, `Booking ${id} not found`);
export const seatUnavailable = (seats: number[]) =>
  new AppError(409, ErrorCode.SeatUnavailable, `Seats already taken: ${seats.join(', ')}`, { seats });
export const seatAlreadyBooked = (seatNumber: number) =>
  new AppError(409, ErrorCode.SeatAlreadyBooked, 'Seat already booked', { seats: [seatNumber] });
export const holdExpired = () => new AppError(410, ErrorCode.HoldExpired, 'The hold expired before payment arrived');
export const bookingClosed = (status: string) => new AppError(409, ErrorCode.BookingClosed, `Booking is ${status}`);
export const notCancellable = (status: string) =>
  new AppError(409, ErrorCode.NotCancellable, `Booking is ${status} and cannot be cancelled`);
export const idempotencyKeyReused = () =>
  new AppError(
    422,
    ErrorCode.IdempotencyKeyReused,
    'This Idempotency-Key was already used for a different booking request',
  );
export const paymentRequired = () =>
  new AppError(
    402,
    ErrorCode.PaymentRequired,
    'This event is not free: hold seats with POST /bookings and pay to confirm them',
  );
export const buyerLimitExceeded = (message: string, details: { limit?: number; requested?: number }) =>
  new AppError(409, ErrorCode.BuyerLimitExceeded, message, details);
export const cancellationClosed = (deadline: string) =>
  new AppError(409, ErrorCode.CancellationClosed, `Cancellations for this event closed at ${deadline}`, { deadline });
export const refundRefused = (reason: string) =>
  new AppError(409, ErrorCode.RefundRefused, `The refund was refused, so the booking stays confirmed: ${reason}`, { reason });
export const methodNotAllowed = () => new AppError(405, ErrorCode.MethodNotAllowed, 'Method Not Allowed');
export const invalidSignature = (message: string) => new AppError(400, ErrorCode.InvalidSignature, message);
export const serviceUnavailable = (message: string) => new AppError(503, ErrorCode.ServiceUnavailable, message);

// The gate's refusals, each with its reason.
export const invalidTicket = () =>
  new AppError(400, ErrorCode.InvalidTicket, 'This is not a ticket code we issued (forged, altered or malformed)');
export const ticketNotFound = (ticketId: string) =>
  new AppError(404, ErrorCode.TicketNotFound, `Ticket ${ticketId} not found`, { ticketId });
export const ticketVoided = (ticketId: string) =>
  new AppError(409, ErrorCode.TicketVoided, 'This ticket was voided (its booking was cancelled)', { ticketId });
export const ticketAlreadyUsed = (ticketId: string, usedAt: string) =>
  new AppError(409, ErrorCode.AlreadyUsed, `This ticket was already used at ${usedAt}`, { ticketId, usedAt });
export const wrongEvent = (ticketEventId: string, gateEventId: string) =>
  new AppError(409, ErrorCode.WrongEvent, 'This ticket is for another event', { ticketEventId, gateEventId });
export const paymentNotFound = (id: string) => new AppError(404, ErrorCode.PaymentNotFound, `Payment ${id} not found`);
export const paymentApplied = (id: string) =>
  new AppError(
    409,
    ErrorCode.PaymentApplied,
    `Payment ${id} bought its booking: cancel the booking (POST /bookings/:id/cancel) to refund it`,
  );
