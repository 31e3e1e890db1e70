import type { Pool } from '../pool';

/** The payment simulator's records: its refunds, and the refund faults it was told to play. */

export type RefundFaultKind = 'UNAVAILABLE' | 'REFUSED';

/**
 * Tells the simulator to fail the next `times` refunds of a payment: as an outage (UNAVAILABLE,
 * worth retrying) or as a refusal (REFUSED, final). Replaces any fault set before for that payment.
 */
export async function injectRefundFault(pool: Pool, paymentId: string, kind: RefundFaultKind, times: number): Promise<void> {
  await pool.query(
    `INSERT INTO simulated_refund_faults (payment_id, kind, remaining) VALUES ($1, $2, $3)
     ON CONFLICT (payment_id) DO UPDATE SET kind = EXCLUDED.kind, remaining = EXCLUDED.remaining, created_at = now()`,
    [paymentId, kind, times],
  );
}

/** Uses up one planned fault of the payment's refunds, if any is left, and says which. */
export async function takeRefundFault(pool: Pool, paymentId: string): Promise<RefundFaultKind | undefined> {
  const { rows } = await pool.query<{ kind: RefundFaultKind }>(
    `UPDATE simulated_refund_faults SET remaining = remaining - 1
      WHERE payment_id = $1 AND remaining > 0
      RETURNING kind`,
    [paymentId],
  );
  return rows[0]?.kind;
}

export interface SimulatedRefund {
  refundId: string;
  paymentId: string;
  amountCents: number;
}

/**
 * Records a refund under its idempotency key, as a provider would: the first request with a key
 * makes the refund, any later one with that key gets the same refund back.
 */
export async function recordSimulatedRefund(
  pool: Pool,
  refund: SimulatedRefund & { idempotencyKey: string },
): Promise<SimulatedRefund> {
  await pool.query(
    `INSERT INTO simulated_refunds (refund_id, idempotency_key, payment_id, amount_cents)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT DO NOTHING`,
    [refund.refundId, refund.idempotencyKey, refund.paymentId, refund.amountCents],
  );
  // No conflict target: the refund id is derived from the key, so a concurrent twin may collide on
  // either unique index. A statement of its own, so it sees the row that twin committed.
  const { rows } = await pool.query<{ refund_id: string; payment_id: string; amount_cents: number }>(
    'SELECT refund_id, payment_id, amount_cents FROM simulated_refunds WHERE idempotency_key = $1',
    [refund.idempotencyKey],
  );
  const row = rows[0];
  return { refundId: row.refund_id, paymentId: row.payment_id, amountCents: row.amount_cents };
}

/** Every refund the simulator made for a payment (tests check there is one). */
export async function simulatedRefundsOf(pool: Pool, paymentId: string): Promise<SimulatedRefund[]> {
  const { rows } = await pool.query<{ refund_id: string; payment_id: string; amount_cents: number }>(
    'SELECT refund_id, payment_id, amount_cents FROM simulated_refunds WHERE payment_id = $1 ORDER BY created_at',
    [paymentId],
  );
  return rows.map((r) => ({ refundId: r.refund_id, paymentId: r.payment_id, amountCents: r.amount_cents }));
}
