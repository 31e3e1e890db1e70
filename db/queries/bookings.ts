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

const BOOKING_COLUMNS = `b.*,
  COALESCE((SELECT json_agg(json_build_object('paymentId', p.payment_id, 'amountCents', p.amount_cents,
                                              'disposition', p.disposition) ORDER BY p.created_at)
              FROM payments p WHERE p.booking_id = b.id), '[]') AS payments`;

export async function findBooking(pool: Pool, id: string): Promise<BookingRecord | undefined> {
  const { rows } = await pool.query<BookingRow>(`SELECT ${BOOKING_COLUMNS} FROM bookings b WHERE b.id = $1`, [id]);
  return rows[0] ? toBooking(rows[0]) : undefined;
}

/** A user's bookings, newest first (refused holds included: they are part of the history). */
export async function listBookingsOfUser(
  pool: Pool,
  userId: string,
  page: number,
  pageSize: number,
): Promise<{ bookings: BookingRecord[]; total: number }> {
  const [list, count] = await Promise.all([
    pool.query<BookingRow>(
      `SELECT ${BOOKING_COLUMNS} FROM bookings b WHERE b.user_id = $1 ORDER BY b.created_at DESC, b.id LIMIT $2 OFFSET $3`,
      [userId, pageSize, (page - 1) * pageSize],
    ),
    pool.query<{ total: number }>('SELECT count(*) AS total FROM bookings WHERE user_id = $1', [userId]),
  ]);
  return { bookings: list.rows.map(toBooking), total: count.rows[0].total };
}

function toBooking(row: BookingRow): BookingRecord {
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
