/**
 * Stable machine-readable error codes. The business ones double as ApplicationFailure types
 * thrown by activities and workflows, and as the activities' nonRetryableErrorTypes.
 */
export const ErrorCode = {
  SeatUnavailable: 'SEAT_UNAVAILABLE',
  HoldExpired: 'HOLD_EXPIRED',
  NotCancellable: 'NOT_CANCELLABLE',
  InvalidSeats: 'INVALID_SEATS',
  EventNotFound: 'EVENT_NOT_FOUND',
  BookingNotFound: 'BOOKING_NOT_FOUND',
  NotFound: 'NOT_FOUND',
  ValidationFailed: 'VALIDATION_FAILED',
  InvalidJson: 'INVALID_JSON',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  MethodNotAllowed: 'METHOD_NOT_ALLOWED',
  SoldOut: 'SOLD_OUT',
  SeatAlreadyBooked: 'SEAT_ALREADY_BOOKED',
  PaymentRequired: 'PAYMENT_REQUIRED',
  IdempotencyKeyReused: 'IDEMPOTENCY_KEY_REUSED',
  InvalidSignature: 'INVALID_SIGNATURE',
  BookingClosed: 'BOOKING_CLOSED',
  ServiceUnavailable: 'SERVICE_UNAVAILABLE',
  Unauthenticated: 'UNAUTHENTICATED',
  Forbidden: 'FORBIDDEN',
  BuyerLimitExceeded: 'BUYER_LIMIT_EXCEEDED',
  /** Best available or GA: too few free seats (places) to meet the request; nothing was held. */
  NotEnoughSeats: 'NOT_ENOUGH_SEATS',
  InvalidTicket: 'INVALID_TICKET',
  TicketNotFound: 'TICKET_NOT_FOUND',
  TicketVoided: 'TICKET_VOIDED',
  AlreadyUsed: 'ALREADY_USED',
  WrongEvent: 'WRONG_EVENT',
  ExtensionLimit: 'EXTENSION_LIMIT',
  CancellationClosed: 'CANCELLATION_CLOSED',
  RefundRefused: 'REFUND_REFUSED',
  PaymentNotFound: 'PAYMENT_NOT_FOUND',
  PaymentApplied: 'PAYMENT_APPLIED',
  RateLimited: 'RATE_LIMITED',
  SubscriptionLimit: 'SUBSCRIPTION_LIMIT',
  AdmissionRequired: 'ADMISSION_REQUIRED',
  AdmissionExpired: 'ADMISSION_EXPIRED',
  AdmissionInvalid: 'ADMISSION_INVALID',
  QueuePlaceNotFound: 'QUEUE_PLACE_NOT_FOUND',
  NoWaitingRoom: 'NO_WAITING_ROOM',
  Internal: 'INTERNAL',
  /** This API node has as many checkouts in flight as it takes, or Temporal said RESOURCE_EXHAUSTED: try again shortly. */
  Busy: 'BUSY',
  /** Temporal did not start the booking within the checkout deadline; nothing was held. */
  TemporalUnavailable: 'TEMPORAL_UNAVAILABLE',
  /** A retry of an Idempotency-Key whose request passed its deadline, holding nothing: use a new key. */
  CheckoutTimedOut: 'CHECKOUT_TIMED_OUT',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Failures that retrying cannot fix: activities give up on these at once. */
export const NON_RETRYABLE_FAILURES: string[] = [
  ErrorCode.SeatUnavailable,
  ErrorCode.HoldExpired,
  ErrorCode.InvalidSeats,
  ErrorCode.EventNotFound,
  ErrorCode.RefundRefused,
  ErrorCode.CancellationClosed,
  ErrorCode.NotCancellable,
  ErrorCode.BuyerLimitExceeded,
  ErrorCode.CheckoutTimedOut,
  ErrorCode.NotEnoughSeats,
];
