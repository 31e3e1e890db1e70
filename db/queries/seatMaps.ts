import type { SeatState } from '../../domain/seatMap';
import { inTransaction, type Pool } from '../pool';

export interface SeatMapState {
  version: number;
  /** Every seat row: the seated seats (events.total_seats) and the general-admission places numbered after them. */
  totalSeats: number;
  /** Only the seats that are not available: on a fresh or quiet event, few rows (seats_event_status). */
  taken: SeatState[];
}

/** What the compact seat map is built from, at one version, read from one consistent snapshot. */
export async function readSeatMapState(pool: Pool, eventId: string): Promise<SeatMapState | undefined> {
  return inTransaction(
    pool,
    async (client) => {
      const event = await client.query<{ version: string; total_seats: number }>(
        `SELECT v.version,
                greatest(e.total_seats, (SELECT coalesce(max(seat_number), 0) FROM seats WHERE event_id = v.event_id)) AS total_seats
           FROM seat_versions v JOIN events e ON e.id = v.event_id WHERE v.event_id = $1`,
        [eventId],
      );
      const row = event.rows[0];
      if (!row) return undefined;
      const taken = await client.query<SeatState>(
        `SELECT seat_number AS seat_id, status FROM seats WHERE event_id = $1 AND status <> 'AVAILABLE'`,
        [eventId],
      );
      return { version: Number(row.version), totalSeats: row.total_seats, taken: taken.rows };
    },
    'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
  );
}

/** The event's current seat-change version (one index lookup): lets a cached map check it is current. */
export async function readSeatVersion(pool: Pool, eventId: string): Promise<number | undefined> {
  const { rows } = await pool.query<{ version: string }>('SELECT version FROM seat_versions WHERE event_id = $1', [eventId]);
  return rows[0] ? Number(rows[0].version) : undefined;
}
