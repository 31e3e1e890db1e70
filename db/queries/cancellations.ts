import type { BookingStatus } from '../../domain/statuses';
import type { Pool } from '../pool';
import { inTransaction } from '../pool';
import { releaseBookedSeats } from './holds';
import { restoreTicketsOfBooking, voidTicketsOfBooking } from './tickets';

export type CancellationStart =
  /** Go on: `payment` is the money to refund (none for a free booking). */
  | { kind: 'started'; payment: { paymentId: string; amountCents: number } | null }
  | { kind: 'already-cancelled' }
  | { kind: 'not-cancellable'; status: BookingStatus; message: string }
  /** Past the event's cancellation cutoff (by the database's clock). */
  | { kind: 'closed'; deadline: string };

/**
 * The saga's first step: checks that the booking is CONFIRMED, that the event's cutoff has not
 * passed and that no ticket was used yet, and records the cancellation as REQUESTED.
 */
export async function beginCancellation(pool: Pool, bookingId: string): Promise<CancellationStart> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ status: BookingStatus; open: boolean; deadline: Date | null; used: number }>(
      `SELECT b.status,
              e.starts_at IS NULL OR now() < e.starts_at - make_interval(hours => e.cancellation_cutoff_hours) AS open,
              e.starts_at - make_interval(hours => e.cancellation_cutoff_hours) AS deadline,
              (SELECT count(*) FROM tickets t WHERE t.booking_id = b.id AND t.status = 'USED')::int AS used
         FROM bookings b JOIN events e ON e.id = b.event_id
        WHERE b.id = $1
          FOR UPDATE OF b`,
      [bookingId],
    );
    const booking = rows[0];
    if (!booking) return { kind: 'not-cancellable', status: 'REJECTED', message: `Booking ${bookingId} does not exist` };
    if (booking.status === 'CANCELLED') return { kind: 'already-cancelled' };
    if (booking.status !== 'CONFIRMED') {
      return { kind: 'not-cancellable', status: booking.status, message: `Booking is ${booking.status} and cannot be cancelled` };
    }
    if (!booking.open && booking.deadline) return { kind: 'closed', deadline: booking.deadline.toISOString() };
    if (booking.used > 0) {
      return { kind: 'not-cancellable', status: booking.status, message: 'A ticket of this booking was already used at the gate' };
    }
    await client.query(
      `INSERT INTO cancellations (booking_id, status) VALUES ($1, 'REQUESTED')
       ON CONFLICT (booking_id) DO UPDATE SET status = 'REQUESTED', reason = NULL, requested_at = now(), updated_at = now()`,
      [bookingId],
    );
    const payment = await client.query<{ paymentId: string; amountCents: number }>(
      `SELECT payment_id AS "paymentId", amount_cents AS "amountCents" FROM payments
        WHERE booking_id = $1 AND disposition = 'APPLIED'`,
      [bookingId],
    );
    return { kind: 'started', payment: payment.rows[0] ?? null };
  });
}

/** Voids the booking's valid tickets; answers how many this call voided (0 on a retry). */
export function voidBookingTickets(pool: Pool, bookingId: string): Promise<number> {
  return inTransaction(pool, (client) => voidTicketsOfBooking(client, bookingId));
}

/**
 * The saga's last step: the booking CANCELLED and its seats AVAILABLE (with their seat change), in
 * one transaction. A no-op for a booking already cancelled.
 */
export async function completeCancellation(pool: Pool, bookingId: string): Promise<BookingStatus | undefined> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ status: BookingStatus }>('SELECT status FROM bookings WHERE id = $1 FOR UPDATE', [
      bookingId,
    ]);
    const status = rows[0]?.status;
    if (status !== 'CONFIRMED') return status;
    await client.query(`UPDATE bookings SET status = 'CANCELLED', updated_at = now() WHERE id = $1`, [bookingId]);
    await releaseBookedSeats(client, bookingId);
    await client.query(`UPDATE cancellations SET status = 'COMPLETED', updated_at = now() WHERE booking_id = $1`, [bookingId]);
    return 'CANCELLED';
  });
}

/**
 * The compensation when the refund was refused: the voided tickets are valid again and the
 * cancellation is recorded as COMPENSATED with the reason; the booking stays CONFIRMED.
 */
export async function compensateCancellation(pool: Pool, bookingId: string, reason: string): Promise<number> {
  return inTransaction(pool, async (client) => {
    const restored = await restoreTicketsOfBooking(client, bookingId);
    await client.query(
      `UPDATE cancellations SET status = 'COMPENSATED', reason = $2, updated_at = now() WHERE booking_id = $1`,
      [bookingId, reason.slice(0, 1000)],
    );
    return restored;
  });
}
