import type { HoldLimits } from './holdExtension';
import type { SeatLabel, SeatPick } from './layout';
import type { CancellationRecord, RefundProgress, RefundRecord } from './payments';
import type { BookingStatus, PaymentDisposition } from './statuses';

/** Everything a booking workflow needs to start; fixed for its whole life. */
export interface BookingWorkflowInput {
  bookingId: string;
  eventId: string;
  userId: string;
  seatNumbers: number[];
  holdSeconds: number;
  /** Confirm right after the hold: free events, and the seed's book-at-once contract. */
  confirmOnHold: boolean;
  /** The buyer's Idempotency-Key, kept with the booking; null when none was sent. */
  idempotencyKey: string | null;
  /** How far the buyer may extend the hold; DEFAULT_HOLD_LIMITS when absent (older workflows). */
  holdLimits?: HoldLimits;
  /**
   * Checkout's deadline (epoch ms): the hold is refused after it, so a buyer the API answered 503
   * holds nothing. Absent in workflows started before it existed: no deadline.
   */
  holdBy?: number;
  /** Best available or GA places: the hold picks the seats (seatNumbers is then empty). */
  pick?: SeatPick;
}

/** What the hold activity reports once the seats are ours. */
export interface HoldResult {
  bookingId: string;
  amountCents: number;
  expiresAt: string;
  /** The seats held (picked by the hold for best available and GA). */
  seatNumbers?: number[];
  seats?: SeatLabel[];
}

/** A payment the workflow has been told about, from the webhook or the confirm endpoint. */
export interface PaymentNotice {
  /** Provider's payment id (Stripe PaymentIntent id) or `token:<bookingId>:<paymentToken>`: the dedupe key. */
  paymentId: string;
  amountCents: number;
  source: 'webhook' | 'confirm';
  providerEventId?: string;
  /**
   * When the API received the payment (ISO). The workflow applies only payments received before the
   * hold expired, however late a worker gets to see them.
   */
  receivedAt: string;
}

export interface PaymentFailureNotice {
  paymentId: string;
  reason: string;
}

/** The booking as the workflow sees it (status query, update results). */
export interface BookingState {
  id: string;
  workflowId: string;
  status: BookingStatus;
  eventId: string;
  userId: string;
  seatNumbers: number[];
  amountCents: number | null;
  expiresAt: string | null;
  appliedPaymentId: string | null;
  owedBackPaymentIds: string[];
  lastPaymentFailure: string | null;
  /** Times the hold was extended. */
  holdExtensions: number;
  /** Where the held seats are; absent before the hold (and in workflows older than layouts). */
  seats?: SeatLabel[];
  /** The GA area of a booking of places. */
  area?: string | null;
  /** Refunds of the payments that bought nothing, as they progress. */
  refunds: RefundProgress[];
}

/** A payment received for a booking, with its refund once one was asked for. */
export interface PaymentRecord {
  paymentId: string;
  amountCents: number;
  disposition: PaymentDisposition;
  refund?: RefundRecord;
}

/** The booking as stored and as the API shows it. */
export interface BookingRecord {
  id: string;
  workflowId: string;
  status: BookingStatus;
  eventId: string;
  userId: string;
  seatNumbers: number[];
  amountCents: number;
  expiresAt: string;
  idempotencyKey: string | null;
  /** For a REJECTED booking: the seats that were already taken. */
  rejectedSeats: number[] | null;
  /** For a REJECTED booking: the error code the hold was refused with. */
  rejectionReason: 'SEAT_UNAVAILABLE' | 'BUYER_LIMIT_EXCEEDED' | 'DEADLINE_PASSED' | 'NOT_ENOUGH_SEATS' | null;
  createdAt: string;
  updatedAt: string;
  payments: PaymentRecord[];
  holdExtensions: number;
  /** The cancellation of a confirmed booking, once asked for. */
  cancellation: CancellationRecord | null;
  seats?: SeatLabel[];
  /** The GA area of a booking of places. */
  area?: string | null;
}
