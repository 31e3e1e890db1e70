import type { Pool } from '../pool';
import { toHoldOutcome, type HoldOutcome, type HoldRequest, type HoldSeatsResult } from './holds';

/**
 * A hold that picks its seats (best available) or GA places, in one round trip: the
 * hold_best_available function picks candidates from a snapshot, locks them FOR UPDATE SKIP LOCKED,
 * re-checks, and holds them with hold_seats. No event-wide lock is taken. A random pick draws its seats
 * at random (hold_random_seats) with the same locking.
 */
export async function holdPickedSeats(pool: Pool, req: HoldRequest): Promise<HoldOutcome> {
  const pick = req.pick;
  if (!pick) throw new Error('holdPickedSeats needs a pick');
  const { rows } = pick.random
    ? await pool.query<{ result: HoldSeatsResult }>(
        'SELECT hold_random_seats($1, $2, $3, $4, $5, $6, $7, $8, $9) AS result',
        [req.bookingId, req.eventId, req.userId, pick.quantity, pick.category ?? null, pick.section ?? null,
          req.expiresAt, req.idempotencyKey, req.holdBy ?? null],
      )
    : await pool.query<{ result: HoldSeatsResult }>(
        'SELECT hold_best_available($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) AS result',
        [req.bookingId, req.eventId, req.userId, pick.quantity, pick.category ?? null, pick.section ?? null,
          pick.area ?? null, req.expiresAt, req.idempotencyKey, req.holdBy ?? null],
      );
  return toHoldOutcome(rows[0].result, req);
}
