import type { PaymentDisposition } from '../../domain/statuses';
import type { Pool } from '../pool';

/**
 * Records money that will not buy this booking (it arrived too late, or the booking was already
 * paid) as owed back to the buyer. Keyed by the payment id, so recording it twice is one record.
 * Answers the payment's disposition afterwards: APPLIED when this payment had bought the booking.
 */
export async function recordOwedBackPayment(
  pool: Pool,
  payment: { paymentId: string; bookingId: string | null; amountCents: number; providerEventId: string | null },
): Promise<PaymentDisposition> {
  await pool.query(
    `INSERT INTO payments (payment_id, booking_id, amount_cents, disposition, provider_event_id)
     VALUES ($1, $2, $3, 'OWED_BACK', $4) ON CONFLICT (payment_id) DO NOTHING`,
    [payment.paymentId, payment.bookingId, payment.amountCents, payment.providerEventId],
  );
  const { rows } = await pool.query<{ disposition: PaymentDisposition }>(
    'SELECT disposition FROM payments WHERE payment_id = $1',
    [payment.paymentId],
  );
  return rows[0].disposition;
}

export interface PaymentRow {
  paymentId: string;
  bookingId: string | null;
  amountCents: number;
  disposition: PaymentDisposition;
}

export async function findPayment(pool: Pool, paymentId: string): Promise<PaymentRow | undefined> {
  const { rows } = await pool.query<PaymentRow>(
    `SELECT payment_id AS "paymentId", booking_id AS "bookingId", amount_cents AS "amountCents", disposition
       FROM payments WHERE payment_id = $1`,
    [paymentId],
  );
  return rows[0];
}

/**
 * Remembers a webhook delivery. Answers whether an earlier delivery of the same provider event was
 * already fully processed, in which case this one must have no effect.
 */
export async function rememberPaymentEvent(
  pool: Pool,
  event: { id: string; type: string; bookingId: string | null; payload: unknown },
): Promise<{ alreadyProcessed: boolean }> {
  const { rows } = await pool.query<{ processed_at: Date | null }>(
    `INSERT INTO payment_events (id, type, booking_id, payload) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO UPDATE SET id = EXCLUDED.id
     RETURNING processed_at`,
    [event.id, event.type, event.bookingId, JSON.stringify(event.payload)],
  );
  return { alreadyProcessed: rows[0]?.processed_at != null };
}

export async function markPaymentEventProcessed(pool: Pool, id: string): Promise<void> {
  await pool.query('UPDATE payment_events SET processed_at = now() WHERE id = $1 AND processed_at IS NULL', [id]);
}
