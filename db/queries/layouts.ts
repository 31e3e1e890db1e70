import {
  DEFAULT_CATEGORY,
  DEFAULT_ROW,
  DEFAULT_SECTION,
  rowLabels,
  type LayoutInput,
  type LayoutSeat,
  type LayoutView,
  type SeatLabel,
} from '../../domain/layout';
import type { Pool, PoolClient } from '../pool';

/**
 * Writes an event's layout: its categories, sections and areas, and one seat row per seat (numbered
 * 1..N in layout order) and per GA place (numbered after the seats). Run in the event's insert transaction.
 */
export async function insertLayout(client: PoolClient, eventId: string, layout: LayoutInput): Promise<void> {
  await client.query(
    `INSERT INTO event_categories (event_id, key, name, price_cents, position)
     SELECT $1, key, name, price, position - 1
       FROM unnest($2::text[], $3::text[], $4::int[]) WITH ORDINALITY AS c(key, name, price, position)`,
    [eventId, layout.categories.map((c) => c.key), layout.categories.map((c) => c.name), layout.categories.map((c) => c.priceCents)],
  );
  const seats = {
    number: [] as number[],
    section: [] as string[],
    row: [] as (string | null)[],
    label: [] as string[],
    category: [] as string[],
    rowIndex: [] as (number | null)[],
    seatIndex: [] as (number | null)[],
    rowLength: [] as (number | null)[],
    distance: [] as number[],
    ga: [] as boolean[],
  };
  const places: { section: string; kind: 'SEATED' | 'GA'; category: string; distance: number; first: number; count: number }[] = [];
  const add = (section: string, row: string | null, label: string, category: string, ri: number | null, xi: number | null,
    len: number | null, distance: number, ga: boolean) => {
    seats.number.push(seats.number.length + 1);
    seats.section.push(section);
    seats.row.push(row);
    seats.label.push(label);
    seats.category.push(category);
    seats.rowIndex.push(ri);
    seats.seatIndex.push(xi);
    seats.rowLength.push(len);
    seats.distance.push(distance);
    seats.ga.push(ga);
  };
  layout.sections.forEach((section, position) => {
    const first = seats.number.length + 1;
    const distance = section.distance ?? position;
    section.rows.forEach((row, ri) => {
      const labels = rowLabels(row);
      labels.forEach((label, xi) => add(section.section, row.row, label, section.category, ri, xi, labels.length, distance, false));
    });
    places.push({ section: section.section, kind: 'SEATED', category: section.category, distance, first, count: seats.number.length + 1 - first });
  });
  layout.areas.forEach((area) => {
    const first = seats.number.length + 1;
    for (let i = 1; i <= area.capacity; i++) add(area.area, null, String(i), area.category, null, null, null, 0, true);
    places.push({ section: area.area, kind: 'GA', category: area.category, distance: 0, first, count: area.capacity });
  });
  await client.query(
    `INSERT INTO event_sections (event_id, section, kind, category, position, distance, first_seat, seat_count)
     SELECT $1, section, kind, category, position - 1, distance, first, count
       FROM unnest($2::text[], $3::text[], $4::text[], $5::real[], $6::int[], $7::int[])
            WITH ORDINALITY AS p(section, kind, category, distance, first, count, position)`,
    [eventId, places.map((p) => p.section), places.map((p) => p.kind), places.map((p) => p.category),
      places.map((p) => p.distance), places.map((p) => p.first), places.map((p) => p.count)],
  );
  await client.query(
    `INSERT INTO seats (event_id, seat_number, section, row_label, label, category, row_index, seat_index, row_length,
                        distance, is_ga)
     SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[], $9::int[],
                              $10::real[], $11::boolean[])`,
    [eventId, seats.number, seats.section, seats.row, seats.label, seats.category, seats.rowIndex, seats.seatIndex,
      seats.rowLength, seats.distance, seats.ga],
  );
}

/** The event's layout version (the layout's ETag), or undefined when there is no such event. */
export async function findLayoutVersion(pool: Pool, eventId: string): Promise<number | undefined> {
  const { rows } = await pool.query<{ layout_version: number }>('SELECT layout_version FROM events WHERE id = $1', [eventId]);
  return rows[0]?.layout_version;
}

interface LayoutSeatRow {
  seat_number: number;
  section: string | null;
  row_label: string | null;
  label: string | null;
  category: string | null;
  row_index: number | null;
  seat_index: number | null;
}

/**
 * The static layout: categories, sections with every seat (label and drawing position), GA areas.
 * An event made without a layout reads as one section 'Main', one row '1', one category at its price.
 */
export async function readLayout(pool: Pool, eventId: string): Promise<LayoutView | undefined> {
  const event = await pool.query<{ price_cents: number; layout_version: number }>(
    'SELECT price_cents, layout_version FROM events WHERE id = $1',
    [eventId],
  );
  if (!event.rows[0]) return undefined;
  const [categories, sections, seats] = await Promise.all([
    pool.query<{ key: string; name: string; price_cents: number }>(
      'SELECT key, name, price_cents FROM event_categories WHERE event_id = $1 ORDER BY position',
      [eventId],
    ),
    pool.query<{ section: string; kind: 'SEATED' | 'GA'; category: string; distance: number; seat_count: number }>(
      'SELECT section, kind, category, distance, seat_count FROM event_sections WHERE event_id = $1 ORDER BY position',
      [eventId],
    ),
    pool.query<LayoutSeatRow>(
      `SELECT seat_number, section, row_label, label, category, row_index, seat_index
         FROM seats WHERE event_id = $1 AND NOT is_ga ORDER BY seat_number`,
      [eventId],
    ),
  ]);
  const view: LayoutView = {
    eventId,
    version: event.rows[0].layout_version,
    categories: categories.rows.map((c) => ({ key: c.key, name: c.name, priceCents: c.price_cents })),
    sections: [],
    areas: sections.rows
      .filter((s) => s.kind === 'GA')
      .map((s) => ({ area: s.section, category: s.category, capacity: s.seat_count })),
  };
  if (view.categories.length === 0) {
    view.categories.push({ key: DEFAULT_CATEGORY, name: 'Standard', priceCents: event.rows[0].price_cents });
    view.sections.push({ section: DEFAULT_SECTION, category: DEFAULT_CATEGORY, distance: 0, rows: [{ row: DEFAULT_ROW, seats: [] }] });
  }
  for (const s of sections.rows.filter((s) => s.kind === 'SEATED')) {
    view.sections.push({ section: s.section, category: s.category, distance: s.distance, rows: [] });
  }
  const sectionOf = new Map(view.sections.map((s) => [s.section, s]));
  for (const row of seats.rows) {
    const seat: LayoutSeat = { ...toLabel(row), x: row.seat_index ?? row.seat_number - 1, y: row.row_index ?? 0 };
    const section = sectionOf.get(seat.section);
    if (!section) continue;
    let last = section.rows[section.rows.length - 1];
    if (!last || last.row !== seat.row) {
      last = { row: seat.row, seats: [] };
      section.rows.push(last);
    }
    last.seats.push(seat);
  }
  return view;
}

function toLabel(row: LayoutSeatRow): SeatLabel {
  return {
    seatNumber: row.seat_number,
    section: row.section ?? DEFAULT_SECTION,
    row: row.row_label ?? DEFAULT_ROW,
    label: row.label ?? String(row.seat_number),
    category: row.category ?? DEFAULT_CATEGORY,
  };
}

/** The labels of some of an event's seats, in seat-number order. */
export async function findSeatLabels(pool: Pool | PoolClient, eventId: string, seatNumbers: number[]): Promise<SeatLabel[]> {
  const { rows } = await pool.query<LayoutSeatRow>(
    `SELECT seat_number, section, row_label, label, category, row_index, seat_index
       FROM seats WHERE event_id = $1 AND seat_number = ANY ($2::int[]) ORDER BY seat_number`,
    [eventId, seatNumbers],
  );
  return rows.map(toLabel);
}

/** Places left in each GA area of the event. */
export async function countAreaPlaces(pool: Pool, eventId: string): Promise<{ area: string; capacity: number; available: number }[]> {
  const { rows } = await pool.query<{ area: string; capacity: number; available: number }>(
    `SELECT p.section AS area, p.seat_count AS capacity,
            (SELECT count(*) FROM seats s
              WHERE s.event_id = p.event_id AND s.is_ga AND s.section = p.section AND s.status = 'AVAILABLE') AS available
       FROM event_sections p WHERE p.event_id = $1 AND p.kind = 'GA' ORDER BY p.position`,
    [eventId],
  );
  return rows;
}

/** Which of the named category, seated section and GA area the event has (absent names count as found). */
export async function findPickTargets(
  pool: Pool,
  eventId: string,
  names: { category?: string; section?: string; area?: string },
): Promise<{ category: boolean; section: boolean; area: boolean }> {
  const { rows } = await pool.query<{ category: boolean; section: boolean; area: boolean }>(
    `SELECT ($2::text IS NULL OR EXISTS (SELECT 1 FROM event_categories WHERE event_id = $1 AND key = $2)
              OR ($2 = 'standard' AND NOT EXISTS (SELECT 1 FROM event_categories WHERE event_id = $1))) AS category,
            ($3::text IS NULL OR EXISTS (SELECT 1 FROM event_sections WHERE event_id = $1 AND section = $3 AND kind = 'SEATED')
              OR ($3 = 'Main' AND NOT EXISTS (SELECT 1 FROM event_sections WHERE event_id = $1))) AS section,
            ($4::text IS NULL OR EXISTS (SELECT 1 FROM event_sections WHERE event_id = $1 AND section = $4 AND kind = 'GA')) AS area`,
    [eventId, names.category ?? null, names.section ?? null, names.area ?? null],
  );
  return rows[0];
}
