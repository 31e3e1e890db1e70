import type { BookingRecord } from '../../domain/booking';
import type { SeatLabel, SeatPick } from '../../domain/layout';
import type { BookingStatus, SeatStatus } from '../../domain/statuses';
import type { PoolClient, Pool } from '../pool';
import { inTransaction } from '../pool';
import { recordSeatChange } from './seatChanges';
import { issueTicketsOfBooking } from './tickets';

export interface HoldRequest {
  bookingId: string;
  eventId: string;
  userId: string;
  seatNumbers: number[];
  expiresAt: string;
  idempotencyKey: string | null;
  /** Checkout's deadline (ISO): after it, by the database's clock, nothing is held. Absent: no deadline. */
  holdBy?: string | null;
  /** Best available or GA places: the hold picks the seats (seatNumbers is then empty). */
  pick?: SeatPick | null;
}

export type HoldOutcome =
  | { kind: 'held'; amountCents: number; expiresAt: string; seatNumbers?: number[]; seats?: SeatLabel[] }
  | { kind: 'unavailable'; seats: number[] }
  /** A picking hold found too few free seats (or GA places): nothing held. */
  | { kind: 'not_enough'; available: number }
  | { kind: 'invalid'; message: string }
  /** The buyer would hold more than the event's per-buyer limit, counting their live bookings. */
  | { kind: 'limit'; limit: number; requested: number }
  | { kind: 'closed'; status: BookingStatus }
  /** Checkout gave up on this booking (its deadline passed) before it could hold: nothing is held. */
  | { kind: 'deadline' };

interface ExistingBooking {
  status: BookingStatus;
  amount_cents: number;
  expires_at: string;
  rejected_seats: number[] | null;
  rejection_reason: BookingRecord['rejectionReason'];
  /** The event's per-buyer limit. */
  limit: number | null;
}

export type HoldSeatsResult = (
  | { kind: 'held'; amount_cents: number }
  | { kind: 'unavailable'; seats: number[] }
  | { kind: 'invalid'; message: string }
  | { kind: 'limit'; limit: number; requested: number }
  | ({ kind: 'existing' } & ExistingBooking)
  | { kind: 'not_enough'; available: number }
) & { seat_numbers?: number[]; seat_labels?: SeatLabel[] };

/** What an earlier run of the same hold decided: a retried activity must answer the same. */
export function outcomeOf(existing: ExistingBooking, requested: number): HoldOutcome {
  if (existing.status === 'REJECTED' && existing.rejection_reason === 'DEADLINE_PASSED') return { kind: 'deadline' };
  if (existing.status === 'REJECTED' && existing.rejection_reason === 'BUYER_LIMIT_EXCEEDED') {
    return { kind: 'limit', limit: existing.limit ?? 0, requested };
  }
  if (existing.status === 'REJECTED') return { kind: 'unavailable', seats: existing.rejected_seats ?? [] };
  if (existing.status === 'HELD' || existing.status === 'CONFIRMED') {
    return { kind: 'held', amountCents: existing.amount_cents, expiresAt: new Date(existing.expires_at).toISOString() };
  }
  return { kind: 'closed', status: existing.status };
}

/**
 * Checkout gave up on a booking id (its deadline passed): fences it with a REJECTED DEADLINE_PASSED
 * row unless a hold of it committed first, and says which happened. A hold that runs later (a
 * workflow Temporal starts after all) finds the fence and holds nothing.
 */
export async function fenceCheckout(
  pool: Pool,
  req: Pick<HoldRequest, 'bookingId' | 'eventId' | 'userId' | 'seatNumbers' | 'idempotencyKey'>,
): Promise<'fenced' | 'decided'> {
  const { rows } = await pool.query<{ status: BookingStatus; rejection_reason: BookingRecord['rejectionReason'] }>(
    'SELECT * FROM fence_checkout($1, $2, $3, $4, $5)',
    [req.bookingId, req.eventId, req.userId, req.seatNumbers, req.idempotencyKey],
  );
  const row = rows[0];
  return row && row.status === 'REJECTED' && row.rejection_reason === 'DEADLINE_PASSED' ? 'fenced' : 'decided';
}

/**
 * Holds every requested seat for the booking, or none (the hold_seats function, one round trip).
 * Seats are locked in seat order, so overlapping holds queue instead of deadlocking, and only the
 * requested rows are locked, so holds on different seats of one event run side by side.
 */
export async function holdSeats(pool: Pool, req: HoldRequest): Promise<HoldOutcome> {
  const { rows } = await pool.query<{ result: HoldSeatsResult }>(
    'SELECT hold_priced_seats($1, $2, $3, $4, $5, $6, $7) AS result',
    [req.bookingId, req.eventId, req.userId, req.seatNumbers, req.expiresAt, req.idempotencyKey, req.holdBy ?? null],
  );
  return toHoldOutcome(rows[0].result, req);
}

/** hold_priced_seats' and hold_best_available's answer, with the seats held and their labels. */
export function toHoldOutcome(result: HoldSeatsResult, req: HoldRequest): HoldOutcome {
  // Present only when the hold picked its seats (seat_numbers) or the event has a layout (seat_labels).
  const seats = {
    ...(result.seat_numbers ? { seatNumbers: result.seat_numbers } : {}),
    ...(result.seat_labels ? { seats: result.seat_labels } : {}),
  };
  switch (result.kind) {
    case 'existing': {
      const outcome = outcomeOf(result, req.pick?.quantity ?? req.seatNumbers.length);
      return outcome.kind === 'held' ? { ...outcome, ...seats } : outcome;
    }
    case 'held':
      return { kind: 'held', amountCents: result.amount_cents, expiresAt: new Date(req.expiresAt).toISOString(), ...seats };
    case 'unavailable':
      return { kind: 'unavailable', seats: result.seats };
    case 'not_enough':
      return { kind: 'not_enough', available: result.available };
    case 'invalid':
      return { kind: 'invalid', message: result.message };
    case 'limit':
      return { kind: 'limit', limit: result.limit, requested: result.requested };
  }
}

export type ConfirmOutcome = { kind: 'confirmed' } | { kind: 'not-held'; status: BookingStatus };

/**
 * Turns a live hold into a sale, issues its tickets (one per seat) and records the payment applied
 * to it, in one transaction. Confirming an already confirmed booking is a no-op (no second set of
 * tickets either), so a retried activity has one effect.
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
    await issueTicketsOfBooking(client, bookingId);
    await moveHeldSeats(client, [bookingId], 'BOOKED');
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
    await moveHeldSeats(client, [bookingId], 'AVAILABLE');
    return finalStatus;
  });
}

export type ExtendOutcome = { kind: 'extended' } | { kind: 'not-held'; status: BookingStatus };

/**
 * Moves a live hold's expiry (booking and seats) to `expiresAt` and records how many times it was
 * extended. Never moves it earlier, so a retried or late-arriving call changes nothing; a hold the
 * backstop released first answers not-held.
 */
export async function extendHeldBooking(
  pool: Pool,
  bookingId: string,
  expiresAt: string,
  extensions: number,
): Promise<ExtendOutcome> {
  return inTransaction(pool, async (client) => {
    const booking = await client.query<{ status: BookingStatus }>(
      'SELECT status FROM bookings WHERE id = $1 FOR UPDATE',
      [bookingId],
    );
    const status = booking.rows[0]?.status;
    if (status !== 'HELD') return { kind: 'not-held', status: status ?? 'REJECTED' };
    await client.query(
      `UPDATE bookings SET expires_at = GREATEST(expires_at, $2), hold_extensions = GREATEST(hold_extensions, $3),
              updated_at = now()
        WHERE id = $1`,
      [bookingId, expiresAt, extensions],
    );
    await client.query(
      `UPDATE seats SET hold_expires_at = GREATEST(hold_expires_at, $2), updated_at = now()
        WHERE booking_id = $1 AND status = 'HELD'`,
      [bookingId, expiresAt],
    );
    return { kind: 'extended' };
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
    await moveHeldSeats(client, ids, 'AVAILABLE');
    return ids;
  });
}

function seatStates(seatNumbers: number[], status: SeatStatus) {
  return seatNumbers.map((seat_id) => ({ seat_id, status }));
}

/** Moves the held seats of some bookings to BOOKED (sold) or AVAILABLE (released); see moveSeats. */
function moveHeldSeats(client: PoolClient, bookingIds: string[], to: 'BOOKED' | 'AVAILABLE'): Promise<void> {
  return moveSeats(client, bookingIds, 'HELD', to);
}

/**
 * Gives a cancelled booking's sold seats back (BOOKED → AVAILABLE), recording the change like every
 * other seat change. Run it in the transaction that cancels the booking; a no-op once done.
 */
export function releaseBookedSeats(client: PoolClient, bookingId: string): Promise<void> {
  return moveSeats(client, [bookingId], 'BOOKED', 'AVAILABLE');
}

/**
 * Moves the seats of some bookings that are `from` to BOOKED (sold) or AVAILABLE (released), and
 * records the change for each event touched. Seats are locked in (event, seat) order and events'
 * version rows in event order, the same order holds take them, so these transactions never deadlock
 * each other.
 */
async function moveSeats(
  client: PoolClient,
  bookingIds: string[],
  from: 'HELD' | 'BOOKED',
  to: 'BOOKED' | 'AVAILABLE',
): Promise<void> {
  const { rows } = await client.query<{ event_id: string; seat_number: number }>(
    `SELECT event_id, seat_number FROM seats
      WHERE booking_id = ANY($1::uuid[]) AND status = $2
      ORDER BY event_id, seat_number FOR UPDATE`,
    [bookingIds, from],
  );
  if (rows.length === 0) return;
  await client.query(
    to === 'BOOKED'
      ? `UPDATE seats SET status = 'BOOKED', hold_expires_at = NULL, updated_at = now()
          WHERE booking_id = ANY($1::uuid[]) AND status = $2`
      : `UPDATE seats SET status = 'AVAILABLE', booking_id = NULL, hold_expires_at = NULL, updated_at = now()
          WHERE booking_id = ANY($1::uuid[]) AND status = $2`,
    [bookingIds, from],
  );
  const byEvent = new Map<string, number[]>();
  for (const row of rows) byEvent.set(row.event_id, [...(byEvent.get(row.event_id) ?? []), row.seat_number]);
  for (const [eventId, seats] of [...byEvent].sort(([a], [b]) => (a < b ? -1 : 1))) {
    await recordSeatChange(client, eventId, seatStates(seats, to));
  }
}
