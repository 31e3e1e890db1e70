import { randomUUID } from 'node:crypto';
import { DEFAULT_CANCELLATION_CUTOFF_HOURS } from '../../domain/cancellationPolicy';
import type { EventRecord, EventSaleChange, EventTerms, NewEvent, SeatView } from '../../domain/event';
import type { WaitingRoomSettings } from '../../domain/waitingRoom';
import type { SeatStatus } from '../../domain/statuses';
import type { Pool } from '../pool';
import { inTransaction } from '../pool';
import { insertLayout } from './layouts';

export interface TermsRow {
  id: string;
  name: string;
  description: string;
  venue: string;
  performers: string[];
  total_seats: number;
  price_cents: number;
  hold_seconds: number;
  max_seats_per_booking: number;
  max_seats_per_buyer: number | null;
  cancellation_cutoff_hours: number;
  starts_at: Date | null;
  on_sale_at: Date | null;
  waiting_room: WaitingRoomSettings | null;
  created_at: Date;
  updated_at: Date;
}

export interface EventRow extends TermsRow {
  available_seats: number;
}

export function toEvent(row: EventRow): EventRecord {
  return { ...toTerms(row), availableSeats: row.available_seats };
}

function toTerms(row: TermsRow): EventTerms {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    venue: row.venue,
    performers: row.performers,
    totalSeats: row.total_seats,
    priceCents: row.price_cents,
    holdSeconds: row.hold_seconds,
    maxSeatsPerBooking: row.max_seats_per_booking,
    maxSeatsPerBuyer: row.max_seats_per_buyer,
    cancellationCutoffHours: row.cancellation_cutoff_hours,
    startsAt: row.starts_at ? row.starts_at.toISOString() : null,
    onSaleAt: row.on_sale_at ? row.on_sale_at.toISOString() : null,
    waitingRoom: row.waiting_room,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

// Named, not e.*: the search columns (a tsvector, the trigram words) are no part of an event's answer.
const TERMS_COLUMNS = `e.id, e.name, e.description, e.venue, e.performers, e.total_seats, e.price_cents, e.hold_seconds,
  e.max_seats_per_booking, e.max_seats_per_buyer, e.cancellation_cutoff_hours, e.starts_at, e.on_sale_at, e.waiting_room,
  e.created_at, e.updated_at`;
// Availability is counted from the seat rows (index-only on seats_event_status), never kept in a counter.
export const EVENT_COLUMNS = `${TERMS_COLUMNS}, (SELECT count(*) FROM seats s WHERE s.event_id = e.id AND s.status = 'AVAILABLE') AS available_seats`;

export async function insertEventWithSeats(pool: Pool, input: NewEvent): Promise<EventRecord> {
  const id = randomUUID();
  await inTransaction(pool, async (client) => {
    await client.query(
      `INSERT INTO events (id, name, total_seats, price_cents, hold_seconds, max_seats_per_booking, max_seats_per_buyer,
                           starts_at, cancellation_cutoff_hours, on_sale_at, waiting_room, description, venue, performers)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [
        id,
        input.name,
        input.totalSeats,
        // A layout event's own price is its dearest category's: the book-at-once contract asks for payment then.
        input.layout ? Math.max(...input.layout.categories.map((c) => c.priceCents)) : input.priceCents,
        input.holdSeconds,
        input.maxSeatsPerBooking,
        input.maxSeatsPerBuyer ?? null,
        input.startsAt,
        input.cancellationCutoffHours ?? DEFAULT_CANCELLATION_CUTOFF_HOURS,
        input.onSaleAt ?? null,
        input.waitingRoom ? JSON.stringify(input.waitingRoom) : null,
        input.description ?? '',
        input.venue ?? '',
        input.performers ?? [],
      ],
    );
    if (input.layout) await insertLayout(client, id, input.layout);
    else {
      await client.query(
        `INSERT INTO seats (event_id, seat_number) SELECT $1, n FROM generate_series(1, $2::int) AS n`,
        [id, input.totalSeats],
      );
    }
    await client.query('INSERT INTO seat_versions (event_id) VALUES ($1)', [id]);
  });
  const created = await findEvent(pool, id);
  if (!created) throw new Error(`event ${id} vanished after insert`);
  return created;
}

export async function findEvent(pool: Pool, id: string): Promise<EventRecord | undefined> {
  const { rows } = await pool.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events e WHERE e.id = $1`, [id]);
  return rows[0] ? toEvent(rows[0]) : undefined;
}

/** The event's terms without counting its seats: what a booking needs, cheap on a hot event. */
export async function findEventTerms(pool: Pool, id: string): Promise<EventTerms | undefined> {
  const { rows } = await pool.query<TermsRow>(`SELECT ${TERMS_COLUMNS} FROM events e WHERE e.id = $1`, [id]);
  return rows[0] ? toTerms(rows[0]) : undefined;
}

/** An event's row and the version of its seats (what its availability is counted at). */
export interface ListedEvent {
  terms: EventTerms;
  seatVersion: number;
}

/**
 * A page of events, newest first: their rows and seat versions, not their availability (counting
 * a stadium's seat rows per event per read is what the API's seat maps spare; api/routes/events/readEvent.ts).
 */
export async function listEventsPage(pool: Pool, page: number, pageSize: number): Promise<{ events: ListedEvent[]; total: number }> {
  const [list, count] = await Promise.all([
    pool.query<TermsRow & { seat_version: string | null }>(
      `SELECT ${TERMS_COLUMNS}, v.version AS seat_version
         FROM events e LEFT JOIN seat_versions v ON v.event_id = e.id
        ORDER BY e.created_at DESC, e.id LIMIT $1 OFFSET $2`,
      [pageSize, (page - 1) * pageSize],
    ),
    pool.query<{ total: number }>('SELECT count(*) AS total FROM events'),
  ]);
  return {
    events: list.rows.map((row) => ({ terms: toTerms(row), seatVersion: Number(row.seat_version ?? 0) })),
    total: count.rows[0].total,
  };
}

export async function listSeats(pool: Pool, eventId: string): Promise<SeatView[]> {
  const { rows } = await pool.query<{ seat_number: number; status: SeatStatus }>(
    'SELECT seat_number, status FROM seats WHERE event_id = $1 ORDER BY seat_number',
    [eventId],
  );
  return rows.map((r) => ({ seatNumber: r.seat_number, booked: r.status !== 'AVAILABLE', status: r.status }));
}

/** Changes the sale's opening and waiting room; answers the event, or undefined when there is none. */
export async function updateEventSale(pool: Pool, id: string, change: EventSaleChange): Promise<EventRecord | undefined> {
  const { rowCount } = await pool.query(
    `UPDATE events
        SET on_sale_at = CASE WHEN $2 THEN $3::timestamptz ELSE on_sale_at END,
            waiting_room = CASE WHEN $4 THEN $5::jsonb ELSE waiting_room END,
            updated_at = now()
      WHERE id = $1`,
    [
      id,
      change.onSaleAt !== undefined,
      change.onSaleAt ?? null,
      change.waitingRoom !== undefined,
      change.waitingRoom ? JSON.stringify(change.waitingRoom) : null,
    ],
  );
  return rowCount ? findEvent(pool, id) : undefined;
}

/** How many of an event's seats are free and how many held: what the waiting room admits against. */
export async function countSeatsForAdmission(pool: Pool, eventId: string): Promise<{ available: number; held: number }> {
  const { rows } = await pool.query<{ available: number; held: number }>(
    `SELECT count(*) FILTER (WHERE status = 'AVAILABLE') AS available, count(*) FILTER (WHERE status = 'HELD') AS held
       FROM seats WHERE event_id = $1`,
    [eventId],
  );
  return rows[0] ?? { available: 0, held: 0 };
}
