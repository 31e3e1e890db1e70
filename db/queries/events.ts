import { randomUUID } from 'node:crypto';
import { DEFAULT_CANCELLATION_CUTOFF_HOURS } from '../../domain/cancellationPolicy';
import type { EventRecord, EventTerms, NewEvent, SeatView } from '../../domain/event';
import type { SeatStatus } from '../../domain/statuses';
import type { Pool } from '../pool';
import { inTransaction } from '../pool';
import { insertLayout } from './layouts';

interface TermsRow {
  id: string;
  name: string;
  total_seats: number;
  price_cents: number;
  hold_seconds: number;
  max_seats_per_booking: number;
  max_seats_per_buyer: number | null;
  cancellation_cutoff_hours: number;
  starts_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

interface EventRow extends TermsRow {
  available_seats: number;
}

function toEvent(row: EventRow): EventRecord {
  return { ...toTerms(row), availableSeats: row.available_seats };
}

function toTerms(row: TermsRow): EventTerms {
  return {
    id: row.id,
    name: row.name,
    totalSeats: row.total_seats,
    priceCents: row.price_cents,
    holdSeconds: row.hold_seconds,
    maxSeatsPerBooking: row.max_seats_per_booking,
    maxSeatsPerBuyer: row.max_seats_per_buyer,
    cancellationCutoffHours: row.cancellation_cutoff_hours,
    startsAt: row.starts_at ? row.starts_at.toISOString() : null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

// Availability is counted from the seat rows (index-only on seats_event_status), never kept in a counter.
const EVENT_COLUMNS = `e.*, (SELECT count(*) FROM seats s WHERE s.event_id = e.id AND s.status = 'AVAILABLE') AS available_seats`;

export async function insertEventWithSeats(pool: Pool, input: NewEvent): Promise<EventRecord> {
  const id = randomUUID();
  await inTransaction(pool, async (client) => {
    await client.query(
      `INSERT INTO events (id, name, total_seats, price_cents, hold_seconds, max_seats_per_booking, max_seats_per_buyer,
                           starts_at, cancellation_cutoff_hours)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
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
  const { rows } = await pool.query<TermsRow>('SELECT * FROM events WHERE id = $1', [id]);
  return rows[0] ? toTerms(rows[0]) : undefined;
}

export async function listEventsPage(
  pool: Pool,
  page: number,
  pageSize: number,
): Promise<{ events: EventRecord[]; total: number }> {
  const [list, count] = await Promise.all([
    pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events e ORDER BY e.created_at DESC, e.id LIMIT $1 OFFSET $2`,
      [pageSize, (page - 1) * pageSize],
    ),
    pool.query<{ total: number }>('SELECT count(*) AS total FROM events'),
  ]);
  return { events: list.rows.map(toEvent), total: count.rows[0].total };
}

export async function listSeats(pool: Pool, eventId: string): Promise<SeatView[]> {
  const { rows } = await pool.query<{ seat_number: number; status: SeatStatus }>(
    'SELECT seat_number, status FROM seats WHERE event_id = $1 ORDER BY seat_number',
    [eventId],
  );
  return rows.map((r) => ({ seatNumber: r.seat_number, booked: r.status !== 'AVAILABLE', status: r.status }));
}
