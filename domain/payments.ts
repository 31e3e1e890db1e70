/** Refunds and cancellations: the shapes the workflows, the API and the database share. */

/** REQUESTED: being asked for (retried); SUCCEEDED: the provider accepted it; FAILED: refused for a business reason. */
export const REFUND_STATUSES = ['REQUESTED', 'SUCCEEDED', 'FAILED'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

/** Why money goes back: it bought nothing (late, short or extra), or its booking was cancelled. */
export type RefundReason = 'UNAPPLIED' | 'CANCELLATION';

/** What the refund activity is asked to do; the payment id is also the provider's idempotency key. */
export interface RefundOrder {
  paymentId: string;
  bookingId: string | null;
  amountCents: number;
  reason: RefundReason;
}

/** A refund as a workflow reports it (status query); PENDING until the activity has answered. */
export interface RefundProgress {
  paymentId: string;
  amountCents: number;
  status: 'PENDING' | 'SUCCEEDED' | 'FAILED';
  refundId: string | null;
  /** The provider's refusal, for a FAILED refund. */
  failure: string | null;
}

/** A refund as stored and as GET /bookings/:id shows it, under its payment. */
export interface RefundRecord {
  refundId: string | null;
  status: RefundStatus;
  attempts: number;
  lastError: string | null;
  updatedAt: string;
}

/** The RefundStatus search attribute of a workflow with refunds: PENDING while any is not answered. */
export function refundStatusOf(refunds: RefundProgress[]): 'PENDING' | 'FAILED' | 'SUCCEEDED' | undefined {
  if (refunds.length === 0) return undefined;
  if (refunds.some((r) => r.status === 'PENDING')) return 'PENDING';
  if (refunds.some((r) => r.status === 'FAILED')) return 'FAILED';
  return 'SUCCEEDED';
}

export type CancellationStatus = 'REQUESTED' | 'COMPLETED' | 'COMPENSATED';

/** A confirmed booking's cancellation as stored and shown on the booking. */
export interface CancellationRecord {
  status: CancellationStatus;
  reason: string | null;
  requestedAt: string;
  updatedAt: string;
}

/** The saga's steps, in order; the cancellation workflow's status query reports the current one. */
export type CancellationStep =
  | 'CHECKING'
  | 'VOIDING_TICKETS'
  | 'REFUNDING'
  | 'RELEASING_SEATS'
  | 'COMPENSATING'
  | 'DONE';

export interface CancellationState {
  bookingId: string;
  step: CancellationStep;
  /** CANCELLED: refunded, seats released. COMPENSATED: refund refused, tickets restored, still CONFIRMED. */
  outcome: 'CANCELLED' | 'COMPENSATED' | null;
  ticketsVoided: number;
  refund: RefundProgress | null;
}

export interface CancellationWorkflowInput {
  bookingId: string;
}
