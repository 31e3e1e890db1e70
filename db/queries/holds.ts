import type { BookingStatus } from '../../domain/statuses';
import type { PoolClient, Pool } from '../pool';
import { inTransaction } from '../pool';

export interface HoldRequest {
  bookingId: string;
  eventId: string;
  userId: string;
  seatNumbers: number[];
  expiresAt: string;
  idempotencyKey: string | null;
}

export type HoldOutcome =
  | { kind: 'held'; amountCents: number; expiresAt: string }
  | { kind: 'unavailable'; seats: number[] }
  | { kind: 'invalid'; message: string }
  | { kind: 'closed'; status: BookingStatus };

interface ExistingBooking {
  status: BookingStatus;
  amount_cents: number;
  expires_at: Date;
  rejected_seats: number[] | null;
}

/** What an earlier run of the same hold decided: a retried activity must answer the same. */
function outcomeOf(existing: ExistingBooking): HoldOutcome {
  if (existing.status === 'REJECTED') return { kind: 'unavailable', seats: existing.rejected_seats ?? [] };
  if (existing.status === 'HELD' || existing.status === 'CONFIRMED') {
    return { kind: 'held', amountCents: existing.amount_cents, expiresAt: existing.expires_at.toISOString() };
  }
  return { kind: 'closed', status: existing.status };
}

/**
 * Holds every requested seat for the booking, or none. Seats are locked in seat order, so two
 * overlapping holds queue behind each other instead of deadlocking; only the requested rows are
 * locked, so holds on different seats of one event run in parallel.
 */
export async function holdSeats(pool: Pool, req: HoldRequest): Promise<HoldOutcome> {
  return inTransaction(pool, async (client) => {
    const existing = await client.query<ExistingBooking>(
      'SELECT status, amount_cents, expires_at, rejected_seats FROM bookings WHERE id = $1',
      [req.bookingId],
    );
    if (existing.rows[0]) return outcomeOf(existing.rows[0]);

    const event = await client.query<{ price_cents: number }>('SELECT price_cents FROM events WHERE id = $1', [
      req.eventId,
    ]);
    if (!event.rows[0]) return { kind: 'invalid', message: `event ${req.eventId} does not exist` };
    const amountCents = event.rows[0].price_cents * req.seatNumbers.length;

    const seats = await client.query<{ seat_number: number; status: string }>(
      `SELECT seat_number, status FROM seats
        WHERE event_id = $1 AND seat_number = ANY($2::int[])
        ORDER BY seat_number FOR UPDATE`,
      [req.eventId, req.seatNumbers],
    );
    if (seats.rows.length !== new Set(req.seatNumbers).size) {
      return { kind: 'invalid', message: 'some seat numbers do not exist for this event' };
    }
    const taken = seats.rows.filter((s) => s.status !== 'AVAILABLE').map((s) => s.seat_number);
    if (taken.length > 0) {
      await insertBooking(client, req, 'REJECTED', amountCents, taken);
      return { kind: 'unavailable', seats: taken };
    }
    await insertBooking(client, req, 'HELD', amountCents, null);
    await client.query(
      `UPDATE seats SET status = 'HELD', booking_id = $3, hold_expires_at = $4, updated_at = now()
        WHERE event_id = $1 AND seat_number = ANY($2::int[])`,
      [req.eventId, req.seatNumbers, req.bookingId, req.expiresAt],
    );
    return { kind: 'held', amountCents, expiresAt: new Date(req.expiresAt).toISOString() };
  });
}

async function insertBooking(
  client: PoolClient,
  req: HoldRequest,
  status: BookingStatus,
  amountCents: number,
  rejectedSeats: number[] | null,
): Promise<void> {
  await client.query(
    `INSERT INTO bookings (id, event_id, user_id, seat_numbers, status, amount_cents, expires_at, idempotency_key, rejected_seats)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [req.bookingId, req.eventId, req.userId, req.seatNumbers, status, amountCents, req.expiresAt, req.idempotencyKey, rejectedSeats],
  );
}

export type ConfirmOutcome = { kind: 'confirmed' } | { kind: 'not-held'; status: BookingStatus };

/**
 * Turns a live hold into a sale and records the payment applied to it, in one transaction.
 * Confirming an already confirmed booking is a no-op, so a retried activity has one effect.
 */
export async function confirmHeldBooking(
  pool: Pool,
  bookingId: string,
  payment: { paymentId: string; amountCents: number; providerEventId: string | null } | null,
): Promise<ConfirmOutcome> {
  return inTransaction(pool, async (client) => {
    const booking = await client.query<{ status: BookingStatus }>(
      'SELECT status FROM bookings WHERE id = $1 FOR UPDATE',
      [bookingId],
    );
    const status = booking.rows[0]?.status;
    if (status === 'CONFIRMED') return { kind: 'confirmed' };
    if (status !== 'HELD') return { kind: 'not-held', status: status ?? 'REJECTED' };
    await client.query(`UPDATE bookings SET status = 'CONFIRMED', updated_at = now() WHERE id = $1`, [bookingId]);
    await client.query(
      `UPDATE seats SET status = 'BOOKED', hold_expires_at = NULL, updated_at = now()
        WHERE booking_id = $1 AND status = 'HELD'`,
      [bookingId],
    );
    if (payment) {
      await client.query(
        `INSERT INTO payments (payment_id, booking_id, amount_cents, disposition, provider_event_id)
         VALUES ($1, $2, $3, 'APPLIED', $4) ON CONFLICT (payment_id) DO NOTHING`,
        [payment.paymentId, bookingId, payment.amountCents, payment.providerEventId],
      );
    }
    return { kind: 'confirmed' };
  });
}

/**
 * Gives a held booking's seats back and closes it as EXPIRED or CANCELLED. Idempotent: a booking
 * that is no longer HELD is left as it is, and its current status is returned.
 */
export async function releaseHeldBooking(
  pool: Pool,
  bookingId: string,
  finalStatus: 'EXPIRED' | 'CANCELLED',
): Promise<BookingStatus | undefined> {
  return inTransaction(pool, async (client) => {
    const booking = await client.query<{ status: BookingStatus }>(
      'SELECT status FROM bookings WHERE id = $1 FOR UPDATE',
      [bookingId],
    );
    const status = booking.rows[0]?.status;
    if (status !== 'HELD') return status;
    await client.query('UPDATE bookings SET status = $2, updated_at = now() WHERE id = $1', [bookingId, finalStatus]);
    await client.query(
      `UPDATE seats SET status = 'AVAILABLE', booking_id = NULL, hold_expires_at = NULL, updated_at = now()
        WHERE booking_id = $1 AND status = 'HELD'`,
      [bookingId],
    );
    return finalStatus;
  });
}

/**
 * The backstop: releases holds whose workflow should have released them long ago (say it was
 * terminated by an operator). Returns the ids of the bookings it expired.
 */
export async function releaseExpiredHolds(pool: Pool, graceSeconds: number): Promise<string[]> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ id: string }>(
      `WITH expired AS (
         SELECT id FROM bookings
          WHERE status = 'HELD' AND expires_at < now() - make_interval(secs => $1)
          ORDER BY expires_at
          LIMIT 500
          FOR UPDATE SKIP LOCKED
       ), closed AS (
         UPDATE bookings b SET status = 'EXPIRED', updated_at = now()
           FROM expired WHERE b.id = expired.id
         RETURNING b.id
       )
       SELECT id FROM closed`,
      [graceSeconds],
    );
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    await client.query(
      `UPDATE seats SET status = 'AVAILABLE', booking_id = NULL, hold_expires_at = NULL, updated_at = now()
        WHERE booking_id = ANY($1::uuid[]) AND status = 'HELD'`,
      [ids],
    );
    return ids;
  });
}
