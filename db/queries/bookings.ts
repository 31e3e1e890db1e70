import type { BookingRecord } from '../../domain/booking';
import type { BookingStatus, PaymentDisposition } from '../../domain/statuses';
import { bookingWorkflowId } from '../../domain/taskQueue';
import type { Pool } from '../pool';

interface BookingRow {
  id: string;
  event_id: string;
  user_id: string;
  seat_numbers: number[];
  status: BookingStatus;
  amount_cents: number;
  expires_at: Date;
  idempotency_key: string | null;
  rejected_seats: number[] | null;
  created_at: Date;
  updated_at: Date;
  payments: { paymentId: string; amountCents: number; disposition: PaymentDisposition }[];
}

export async function findBooking(pool: Pool, id: string): Promise<BookingRecord | undefined> {
  const { rows } = await pool.query<BookingRow>(
    `SELECT b.*,
            COALESCE((SELECT json_agg(json_build_object('paymentId', p.payment_id, 'amountCents', p.amount_cents,
                                                        'disposition', p.disposition) ORDER BY p.created_at)
                        FROM payments p WHERE p.booking_id = b.id), '[]') AS payments
       FROM bookings b WHERE b.id = $1`,
    [id],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    id: row.id,
    workflowId: bookingWorkflowId(row.id),
    status: row.status,
    eventId: row.event_id,
    userId: row.user_id,
    seatNumbers: row.seat_numbers,
    amountCents: row.amount_cents,
    expiresAt: row.expires_at.toISOString(),
    idempotencyKey: row.idempotency_key,
    rejectedSeats: row.rejected_seats,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    payments: row.payments,
  };
}
