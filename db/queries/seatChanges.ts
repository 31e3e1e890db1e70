import type { SeatState, SeatUpdate } from '../../domain/seatMap';
import { inTransaction, type Pool, type PoolClient } from '../pool';

/**
 * Records a change of some of an event's seats inside the caller's transaction (the
 * record_seat_change function: version bump, outbox row, NOTIFY on commit). Run it last before
 * commit: the event's version row stays locked until then.
 */
export async function recordSeatChange(client: PoolClient, eventId: string, seats: SeatState[]): Promise<number> {
  if (seats.length === 0) throw new Error('a seat change needs at least one seat');
  const { rows } = await client.query<{ version: string }>('SELECT record_seat_change($1, $2::jsonb) AS version', [
    eventId,
    JSON.stringify(seats),
  ]);
  return Number(rows[0].version);
}

/** Every seat, row by row, with the version: what tests compare the compact maps with. */
export interface SeatRowsSnapshot {
  event_id: string;
  version: number;
  seats: SeatState[];
}

/** The seat map and its version, read from one consistent snapshot. */
export async function readSeatSnapshot(pool: Pool, eventId: string): Promise<SeatRowsSnapshot | undefined> {
  return inTransaction(
    pool,
    async (client) => {
      const event = await client.query<{ version: string }>('SELECT version FROM seat_versions WHERE event_id = $1', [
        eventId,
      ]);
      if (!event.rows[0]) return undefined;
      const seats = await client.query<SeatState>(
        'SELECT seat_number AS seat_id, status FROM seats WHERE event_id = $1 ORDER BY seat_number',
        [eventId],
      );
      return { event_id: eventId, version: Number(event.rows[0].version), seats: seats.rows };
    },
    'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
  );
}

/**
 * The changes after `sinceVersion`, oldest first, or undefined when some of them are no longer kept
 * (or there are more than `limit`): the caller then sends a fresh snapshot instead.
 */
export async function readSeatChangesSince(
  pool: Pool,
  eventId: string,
  sinceVersion: number,
  limit = 500,
): Promise<SeatUpdate[] | undefined> {
  const { rows } = await pool.query<{ version: string; seats: SeatState[]; committed_at: Date }>(
    `SELECT version, seats, committed_at FROM seat_changes
      WHERE event_id = $1 AND version > $2
      ORDER BY version
      LIMIT $3`,
    [eventId, sinceVersion, limit + 1],
  );
  if (rows.length > limit) return undefined;
  if (rows.length === 0) {
    // Nothing newer: the client is current, unless it claims a version this event never reached
    // (say the database was restored): then it needs a snapshot.
    const current = await pool.query<{ version: string }>('SELECT version FROM seat_versions WHERE event_id = $1', [eventId]);
    return current.rows[0] && Number(current.rows[0].version) >= sinceVersion ? [] : undefined;
  }
  const updates = rows.map((r) => ({
    type: 'seat_update' as const,
    event_id: eventId,
    version: Number(r.version),
    seats: r.seats,
    committed_at: r.committed_at.toISOString(),
  }));
  // Contiguous from sinceVersion + 1, or some were pruned.
  const contiguous = updates.every((u, i) => u.version === sinceVersion + 1 + i);
  return contiguous ? updates : undefined;
}

export async function readSeatChange(pool: Pool, eventId: string, version: number): Promise<SeatUpdate | undefined> {
  const { rows } = await pool.query<{ seats: SeatState[]; committed_at: Date }>(
    'SELECT seats, committed_at FROM seat_changes WHERE event_id = $1 AND version = $2',
    [eventId, version],
  );
  const row = rows[0];
  if (!row) return undefined;
  return { type: 'seat_update', event_id: eventId, version, seats: row.seats, committed_at: row.committed_at.toISOString() };
}

/** Drops outbox rows older than the retention; clients further behind get a snapshot. */
export async function pruneSeatChanges(pool: Pool, keepSeconds: number): Promise<number> {
  const { rowCount } = await pool.query(
    'DELETE FROM seat_changes WHERE committed_at < now() - make_interval(secs => $1)',
    [keepSeconds],
  );
  return rowCount ?? 0;
}
