import { ErrorCode } from '../domain/errorCodes';

/** Each error code's HTTP status, decided here and nowhere else. */
const STATUS_OF: Record<ErrorCode, number> = {
  [ErrorCode.ValidationFailed]: 400,
  [ErrorCode.InvalidJson]: 400,
  [ErrorCode.InvalidSeats]: 400,
  [ErrorCode.SoldOut]: 400,
  [ErrorCode.InvalidSignature]: 400,
  [ErrorCode.InvalidTicket]: 400,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.PaymentRequired]: 402,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.AdmissionRequired]: 403,
  [ErrorCode.AdmissionExpired]: 403,
  [ErrorCode.AdmissionInvalid]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.EventNotFound]: 404,
  [ErrorCode.BookingNotFound]: 404,
  [ErrorCode.TicketNotFound]: 404,
  [ErrorCode.PaymentNotFound]: 404,
  [ErrorCode.QueuePlaceNotFound]: 404,
  [ErrorCode.MethodNotAllowed]: 405,
  [ErrorCode.SeatUnavailable]: 409,
  [ErrorCode.SeatAlreadyBooked]: 409,
  [ErrorCode.BookingClosed]: 409,
  [ErrorCode.NoWaitingRoom]: 409,
  [ErrorCode.NotCancellable]: 409,
  [ErrorCode.BuyerLimitExceeded]: 409,
  [ErrorCode.NotEnoughSeats]: 409,
  [ErrorCode.ExtensionLimit]: 409,
  [ErrorCode.CancellationClosed]: 409,
  [ErrorCode.RefundRefused]: 409,
  [ErrorCode.TicketVoided]: 409,
  [ErrorCode.AlreadyUsed]: 409,
  [ErrorCode.WrongEvent]: 409,
  [ErrorCode.PaymentApplied]: 409,
  [ErrorCode.HoldExpired]: 410,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.UnsupportedMediaType]: 415,
  [ErrorCode.IdempotencyKeyReused]: 422,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.SubscriptionLimit]: 429,
  [ErrorCode.Internal]: 500,
  [ErrorCode.ServiceUnavailable]: 503,
  [ErrorCode.Busy]: 503,
  [ErrorCode.TemporalUnavailable]: 503,
  [ErrorCode.CheckoutTimedOut]: 409,
};

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(STATUS_OF, value);
}

/**
 * An error the API answers with: a stable code (its HTTP status comes from the table above), a
 * message for people, optional details, and the error it stands for, if any.
 */
export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
    this.status = STATUS_OF[code];
  }
}

/** Keeps the error an AppError stands for (a workflow's failure, say) as its cause, for the logs. */
export function causedBy<T extends Error>(error: T, cause: unknown): T {
  Object.defineProperty(error, 'cause', { value: cause, writable: true, configurable: true });
  return error;
}

export const validationFailed = (message: string, details?: Record<string, unknown>) =>
  new AppError(ErrorCode.ValidationFailed, message, details);
export const invalidSeats = (message: string, details?: Record<string, unknown>) =>
  new AppError(ErrorCode.InvalidSeats, message, details);
export const soldOut = () => new AppError(ErrorCode.SoldOut, 'Event is sold out');
export const eventNotFound = (id: string) => new AppError(ErrorCode.EventNotFound, `Event ${id} not found`);
export const bookingNotFound = (id: string) => new AppError(ErrorCode.BookingNotFound, `Booking ${id} not found`);
export const seatUnavailable = (seats: number[]) =>
  new AppError(ErrorCode.SeatUnavailable, `Seats already taken: ${seats.join(', ')}`, { seats });
export const seatAlreadyBooked = (seatNumber: number) =>
  new AppError(ErrorCode.SeatAlreadyBooked, 'Seat already booked', { seats: [seatNumber] });
export const holdExpired = () => new AppError(ErrorCode.HoldExpired, 'The hold expired before payment arrived');
export const bookingClosed = (status: string) => new AppError(ErrorCode.BookingClosed, `Booking is ${status}`);
export const notCancellable = (status: string) =>
  new AppError(ErrorCode.NotCancellable, `Booking is ${status} and cannot be cancelled`);
export const idempotencyKeyReused = () =>
  new AppError(ErrorCode.IdempotencyKeyReused,
    'This Idempotency-Key was already used for a different booking request',
  );
export const paymentRequired = () =>
  new AppError(ErrorCode.PaymentRequired,
    'This event is not free: hold seats with POST /bookings and pay to confirm them',
  );
export const buyerLimitExceeded = (message: string, details: { limit?: number; requested?: number }) =>
  new AppError(ErrorCode.BuyerLimitExceeded, message, details);
export const cancellationClosed = (deadline: string) =>
  new AppError(ErrorCode.CancellationClosed, `Cancellations for this event closed at ${deadline}`, { deadline });
export const refundRefused = (reason: string) =>
  new AppError(ErrorCode.RefundRefused, `The refund was refused, so the booking stays confirmed: ${reason}`, { reason });
export const methodNotAllowed = () => new AppError(ErrorCode.MethodNotAllowed, 'Method Not Allowed');
export const invalidSignature = (message: string) => new AppError(ErrorCode.InvalidSignature, message);
export const serviceUnavailable = (message: string) => new AppError(ErrorCode.ServiceUnavailable, message);

// The gate's refusals, each with its reason.
export const invalidTicket = () =>
  new AppError(ErrorCode.InvalidTicket, 'This is not a ticket code we issued (forged, altered or malformed)');
export const ticketNotFound = (ticketId: string) =>
  new AppError(ErrorCode.TicketNotFound, `Ticket ${ticketId} not found`, { ticketId });
export const ticketVoided = (ticketId: string) =>
  new AppError(ErrorCode.TicketVoided, 'This ticket was voided (its booking was cancelled)', { ticketId });
export const ticketAlreadyUsed = (ticketId: string, usedAt: string) =>
  new AppError(ErrorCode.AlreadyUsed, `This ticket was already used at ${usedAt}`, { ticketId, usedAt });
export const wrongEvent = (ticketEventId: string, gateEventId: string) =>
  new AppError(ErrorCode.WrongEvent, 'This ticket is for another event', { ticketEventId, gateEventId });
export const paymentNotFound = (id: string) => new AppError(ErrorCode.PaymentNotFound, `Payment ${id} not found`);
export const paymentApplied = (id: string) =>
  new AppError(ErrorCode.PaymentApplied,
    `Payment ${id} bought its booking: cancel the booking (POST /bookings/:id/cancel) to refund it`,
  );
export const rateLimited = (message: string, details: Record<string, unknown>) =>
  new AppError(ErrorCode.RateLimited, message, details);

// Checkout's refusals under load or outage: nothing was held; `retryAfterSeconds` becomes Retry-After.
export const busy = (retryAfterSeconds: number, cause?: unknown) =>
  new AppError(ErrorCode.Busy, `Too many checkouts in progress: try again in ${retryAfterSeconds} s`, { retryAfterSeconds }, { cause });
export const temporalUnavailable = (bookingId: string, retryAfterSeconds: number, cause?: unknown) =>
  new AppError(ErrorCode.TemporalUnavailable,
    `The booking could not be started in time and nothing was held: try again in ${retryAfterSeconds} s`,
    { bookingId, retryAfterSeconds },
    { cause },
  );
export const checkoutTimedOut = (bookingId: string) =>
  new AppError(ErrorCode.CheckoutTimedOut,
    'The request with this Idempotency-Key timed out and held nothing: send it again with a new Idempotency-Key',
    { bookingId },
  );
export const queuePlaceNotFound = (id: string) => new AppError(ErrorCode.QueuePlaceNotFound, `Queue place ${id} not found`);
export const noWaitingRoom = (eventId: string) =>
  new AppError(ErrorCode.NoWaitingRoom, `Event ${eventId} has no waiting room: book directly`);
