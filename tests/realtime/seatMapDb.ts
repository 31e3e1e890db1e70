/** What the database says an event's seat map is, for the realtime tests to compare clients with. */
import assert from 'node:assert/strict';
import type { SeatStatus } from '../../domain/statuses';
import type { Pool } from '../../db/pool';

export async function databaseVersion(pool: Pool, eventId: string): Promise<number> {
  const { rows } = await pool.query<{ version: string }>('SELECT version FROM seat_versions WHERE event_id = $1', [eventId]);
  assert.ok(rows[0], `no seat_versions row for ${eventId}`);
  return Number(rows[0].version);
}

export async function databaseSeats(pool: Pool, eventId: string): Promise<Map<number, SeatStatus>> {
  const { rows } = await pool.query<{ seat_number: number; status: SeatStatus }>(
    'SELECT seat_number, status FROM seats WHERE event_id = $1 ORDER BY seat_number',
    [eventId],
  );
  return new Map(rows.map((r) => [r.seat_number, r.status]));
}

export async function seatChangeCount(pool: Pool, eventId: string): Promise<number> {
  const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM seat_changes WHERE event_id = $1', [eventId]);
  return Number(rows[0].n);
}

/** Compares seat maps as sorted entry lists, so a failure shows which seats differ. */
export function assertSameSeats(actual: Map<number, string>, expected: Map<number, SeatStatus>, who: string): void {
  const sorted = (m: Map<number, string>) => [...m].sort(([a], [b]) => a - b);
  const differing = sorted(expected)
    .filter(([seat, status]) => actual.get(seat) !== status)
    .map(([seat, status]) => `seat ${seat}: ${who} has ${actual.get(seat)}, database has ${status}`);
  assert.deepEqual(differing, [], `${who} disagrees with the database`);
  assert.equal(actual.size, expected.size, `${who} knows ${actual.size} seats, the database ${expected.size}`);
}

/** [from, from+1, ..., to]. */
export function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}

/** A seeded linear congruential generator, so every run asks for the same seats. */
export function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 0x1_0000_0000;
  };
}

/** 1 or 2 distinct seats out of 1..capacity. */
export function oneOrTwoSeats(random: () => number, capacity: number): number[] {
  const count = 1 + Math.floor(random() * 2);
  const seats = new Set<number>();
  while (seats.size < count) seats.add(1 + Math.floor(random() * capacity));
  return [...seats].sort((a, b) => a - b);
}
