import type { BookingRecord, PaymentRecord } from '../../domain/booking';
import type { SeatLabel } from '../../domain/layout';
import type { CancellationStatus } from '../../domain/payments';
import type { BookingStatus } from '../../domain/statuses';
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
  rejection_reason: BookingRecord['rejectionReason'];
  created_at: Date;
  updated_at: Date;
  hold_extensions: number;
  payments: PaymentRecord[];
  cancellation_status: CancellationStatus | null;
  cancellation_reason: string | null;
  cancellation_requested_at: Date | null;
  cancellation_updated_at: Date | null;
  seat_labels: SeatLabel[];
  area: string | null;
}

const isoText = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

// Each payment with its refund, once one was asked for (no `refund` key before that).
const BOOKING_COLUMNS = `b.*,
  COALESCE((SELECT jsonb_agg(
                     jsonb_build_object('paymentId', p.payment_id, 'amountCents', p.amount_cents, 'disposition', p.disposition)
                     || CASE WHEN r.payment_id IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('refund', jsonb_build_object(
                          'refundId', r.refund_id, 'status', r.status, 'attempts', r.attempts, 'lastError', r.last_error,
                          'updatedAt', ${isoText('r.updated_at')})) END
                     ORDER BY p.created_at)
              FROM payments p LEFT JOIN refunds r ON r.payment_id = p.payment_id
             WHERE p.booking_id = b.id), '[]') AS payments,
  c.status AS cancellation_status, c.reason AS cancellation_reason,
  c.requested_at AS cancellation_requested_at, c.updated_at AS cancellation_updated_at,
  seat_labels(b.event_id, b.seat_numbers) AS seat_labels`;
const BOOKINGS_FROM = 'bookings b LEFT JOIN cancellations c ON c.booking_id = b.id';

export async function findBooking(pool: Pool, id: string): Promise<BookingRecord | undefined> {
  const { rows } = await pool.query<BookingRow>(`SELECT ${BOOKING_COLUMNS} FROM ${BOOKINGS_FROM} WHERE b.id = $1`, [id]);
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
      `SELECT ${BOOKING_COLUMNS} FROM ${BOOKINGS_FROM} WHERE b.user_id = $1 ORDER BY b.created_at DESC, b.id LIMIT $2 OFFSET $3`,
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
    rejectionReason: row.rejection_reason,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    payments: row.payments,
    holdExtensions: row.hold_extensions,
    cancellation:
      row.cancellation_status && row.cancellation_requested_at && row.cancellation_updated_at
        ? {
            status: row.cancellation_status,
            reason: row.cancellation_reason,
            requestedAt: row.cancellation_requested_at.toISOString(),
            updatedAt: row.cancellation_updated_at.toISOString(),
          }
        : null,
    seats: row.seat_labels,
    area: row.area,
  };
}
