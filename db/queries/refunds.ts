import type { RefundOrder, RefundStatus } from '../../domain/payments';
import type { PaymentDisposition } from '../../domain/statuses';
import type { Pool } from '../pool';

export type RefundAttempt =
  /** Go ahead and ask the provider; `attempts` counts this try. */
  | { kind: 'attempt'; attempts: number }
  /** Already refunded: nothing to ask. */
  | { kind: 'done'; refundId: string }
  /** The payment may not be refunded for this reason (say, refunding as unapplied money that bought the booking). */
  | { kind: 'not-refundable'; message: string };

// Which payments each reason may give back: money that bought nothing, or money that bought a booking now being cancelled.
const REFUNDABLE: Record<RefundOrder['reason'], PaymentDisposition> = { UNAPPLIED: 'OWED_BACK', CANCELLATION: 'APPLIED' };

/**
 * Starts one try at a refund: creates its row (REQUESTED) or counts another attempt on it, unless it
 * already SUCCEEDED. A FAILED (refused) refund asked for again is tried again.
 */
export async function beginRefundAttempt(pool: Pool, order: RefundOrder): Promise<RefundAttempt> {
  const payment = await pool.query<{ disposition: PaymentDisposition }>('SELECT disposition FROM payments WHERE payment_id = $1', [
    order.paymentId,
  ]);
  const disposition = payment.rows[0]?.disposition;
  if (disposition === undefined) throw new Error(`payment ${order.paymentId} is not recorded: record it before refunding it`);
  if (disposition !== REFUNDABLE[order.reason]) {
    return { kind: 'not-refundable', message: `payment ${order.paymentId} is ${disposition}: not refundable as ${order.reason}` };
  }
  const { rows } = await pool.query<{ status: RefundStatus; refund_id: string | null; attempts: number }>(
    `INSERT INTO refunds (payment_id, booking_id, amount_cents, reason, status, attempts)
     VALUES ($1, $2, $3, $4, 'REQUESTED', 1)
     ON CONFLICT (payment_id) DO UPDATE SET
       status = CASE WHEN refunds.status = 'SUCCEEDED' THEN 'SUCCEEDED' ELSE 'REQUESTED' END,
       attempts = refunds.attempts + CASE WHEN refunds.status = 'SUCCEEDED' THEN 0 ELSE 1 END,
       updated_at = CASE WHEN refunds.status = 'SUCCEEDED' THEN refunds.updated_at ELSE now() END
     RETURNING status, refund_id, attempts`,
    [order.paymentId, order.bookingId, order.amountCents, order.reason],
  );
  const row = rows[0];
  if (row.status === 'SUCCEEDED' && row.refund_id) return { kind: 'done', refundId: row.refund_id };
  return { kind: 'attempt', attempts: row.attempts };
}

export async function recordRefundSucceeded(
  pool: Pool,
  paymentId: string,
  refund: { refundId: string; providerStatus: string },
): Promise<void> {
  await pool.query(
    `UPDATE refunds SET status = 'SUCCEEDED', refund_id = $2, provider_status = $3, last_error = NULL, updated_at = now()
      WHERE payment_id = $1`,
    [paymentId, refund.refundId, refund.providerStatus],
  );
}

/** A try that failed: `refused` (final) makes the refund FAILED; otherwise it stays REQUESTED, to be retried. */
export async function recordRefundError(pool: Pool, paymentId: string, error: string, refused: boolean): Promise<void> {
  await pool.query(
    `UPDATE refunds SET status = CASE WHEN $3 THEN 'FAILED' ELSE status END, last_error = $2, updated_at = now()
      WHERE payment_id = $1 AND status <> 'SUCCEEDED'`,
    [paymentId, error.slice(0, 1000), refused],
  );
}

export interface RefundRow {
  paymentId: string;
  bookingId: string | null;
  amountCents: number;
  reason: RefundOrder['reason'];
  status: RefundStatus;
  refundId: string | null;
  providerStatus: string | null;
  attempts: number;
  lastError: string | null;
}

export async function findRefund(pool: Pool, paymentId: string): Promise<RefundRow | undefined> {
  const { rows } = await pool.query<RefundRow>(
    `SELECT payment_id AS "paymentId", booking_id AS "bookingId", amount_cents AS "amountCents", reason, status,
            refund_id AS "refundId", provider_status AS "providerStatus", attempts, last_error AS "lastError"
       FROM refunds WHERE payment_id = $1`,
    [paymentId],
  );
  return rows[0];
}
