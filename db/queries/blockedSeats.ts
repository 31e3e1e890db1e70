import type { SeatState } from '../../domain/seatMap';
import { inTransaction, type Pool } from '../pool';
import { recordSeatChange } from './seatChanges';

export type BlockOutcome =
  | { kind: 'blocked'; seatNumbers: number[] }
  /** Seats that are held or sold (they cannot be taken off sale) or are not seats of the event: nothing changed. */
  | { kind: 'taken'; seats: number[] }
  | { kind: 'unknown'; seats: number[] };

/**
 * Makes `seatNumbers` the event's whole set of seats not for sale: free seats in it become BLOCKED,
 * BLOCKED seats outside it become AVAILABLE, recorded as one seat change. Rows are locked in seat
 * order like holds lock them, so a hold and this never deadlock; a seat a hold got first is refused.
 */
export async function replaceBlockedSeats(pool: Pool, eventId: string, seatNumbers: number[]): Promise<BlockOutcome> {
  const wanted = [...new Set(seatNumbers)].sort((a, b) => a - b);
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ seat_number: number; status: string; is_ga: boolean }>(
      `SELECT seat_number, status, is_ga FROM seats
        WHERE event_id = $1 AND (seat_number = ANY ($2::int[]) OR status = 'BLOCKED')
        ORDER BY seat_number FOR UPDATE`,
      [eventId, wanted],
    );
    const found = new Map(rows.map((r) => [r.seat_number, r]));
    const unknown = wanted.filter((n) => !found.has(n) || found.get(n)?.is_ga);
    if (unknown.length > 0) return { kind: 'unknown', seats: unknown };
    const taken = wanted.filter((n) => !['AVAILABLE', 'BLOCKED'].includes(found.get(n)?.status ?? ''));
    if (taken.length > 0) return { kind: 'taken', seats: taken };
    const wantedSet = new Set(wanted);
    const changes: SeatState[] = [
      ...rows.filter((r) => r.status === 'AVAILABLE' && wantedSet.has(r.seat_number)).map((r) => ({ seat_id: r.seat_number, status: 'BLOCKED' as const })),
      ...rows.filter((r) => r.status === 'BLOCKED' && !wantedSet.has(r.seat_number)).map((r) => ({ seat_id: r.seat_number, status: 'AVAILABLE' as const })),
    ].sort((a, b) => a.seat_id - b.seat_id);
    if (changes.length > 0) {
      await client.query(
        `UPDATE seats s SET status = c.status, updated_at = now()
           FROM unnest($2::int[], $3::text[]) AS c(seat_number, status)
          WHERE s.event_id = $1 AND s.seat_number = c.seat_number`,
        [eventId, changes.map((c) => c.seat_id), changes.map((c) => c.status)],
      );
      await recordSeatChange(client, eventId, changes);
    }
    return { kind: 'blocked', seatNumbers: wanted };
  });
}

export async function listBlockedSeats(pool: Pool, eventId: string): Promise<number[]> {
  const { rows } = await pool.query<{ seat_number: number }>(
    `SELECT seat_number FROM seats WHERE event_id = $1 AND status = 'BLOCKED' ORDER BY seat_number`,
    [eventId],
  );
  return rows.map((r) => r.seat_number);
}
