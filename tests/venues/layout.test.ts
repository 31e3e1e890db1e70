import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import type { BookingResponse } from '../../api/presenters/booking';
import type { EventRecord } from '../../domain/event';
import type { LayoutInput, LayoutView } from '../../domain/layout';
import { assertError } from '../api/assertions';
import { createEvent, holdSeats } from '../support/factories';
import { api, request } from '../support/http';
import { DEFAULT_LAYOUT_BODY_LIMIT_BYTES } from '../../config/env';
import { useTestStack } from '../support/stack';
import { buyer, createVenueEvent, put, THEATRE } from './venueFixtures';

const stack = useTestStack();
const http = () => api(stack.baseUrl);

const withLayout = (layout: unknown) => ({ name: 'Bad layout', layout });
const base = (over: Partial<LayoutInput>): LayoutInput => ({ ...THEATRE, ...over });

describe('POST /events with a layout', () => {
  test('numbers the seats 1..N in layout order, counts totalSeats from the sections and takes the dearest price', async () => {
    const event = await createVenueEvent(stack.baseUrl, THEATRE);
    assert.equal(event.totalSeats, 22);
    // 22 seats plus 30 GA places are on sale.
    assert.equal(event.availableSeats, 52);
    assert.equal(event.priceCents, 5000);
  });

  const invalid: [string, unknown][] = [
    ['two seats of a row share a label', base({ sections: [{ section: 'S', category: 'normal', rows: [{ row: 'A', seats: ['1', '2', '1'] }] }] })],
    ['a row has no seats (count 0)', base({ sections: [{ section: 'S', category: 'normal', rows: [{ row: 'A', seats: 0 }] }] })],
    ['a row has no seats (empty list)', base({ sections: [{ section: 'S', category: 'normal', rows: [{ row: 'A', seats: [] }] }] })],
    ['a section names an unknown category', base({ sections: [{ section: 'S', category: 'vip', rows: [{ row: 'A', seats: 3 }] }] })],
    ['an area names an unknown category', base({ areas: [{ area: 'Pit', category: 'vip', capacity: 10 }] })],
    ['two categories share a key', base({ categories: [...THEATRE.categories, { key: 'normal', name: 'Again', priceCents: 1 }] })],
    ['two rows of a section share a name', base({ sections: [{ section: 'S', category: 'normal', rows: [{ row: 'A', seats: 2 }, { row: 'A', seats: 2 }] }] })],
    ['a section and an area share a name', base({ areas: [{ area: 'Stalls', category: 'floor', capacity: 10 }] })],
    ['it has neither sections nor areas', base({ sections: [], areas: [] })],
    ['a section has no rows', base({ sections: [{ section: 'S', category: 'normal', rows: [] }] })],
  ];
  for (const [why, layout] of invalid) {
    test(`returns 400 VALIDATION_FAILED when ${why}`, async () => {
      const before = (await http().get<{ total: number }>('/events?pageSize=1')).body.total;
      assertError(await http().post('/events', withLayout(layout)), 400, 'VALIDATION_FAILED');
      assert.equal((await http().get<{ total: number }>('/events?pageSize=1')).body.total, before, 'an event was created');
    });
  }

  test('returns 400 when totalSeats disagrees with the sections, and accepts it when it agrees', async () => {
    assertError(await http().post('/events', { name: 'x', totalSeats: 21, layout: THEATRE }), 400, 'VALIDATION_FAILED');
    const event = await createVenueEvent(stack.baseUrl, THEATRE, { totalSeats: 22 });
    assert.equal(event.totalSeats, 22);
  });

  test('an event without a layout still needs totalSeats', async () => {
    assertError(await http().post('/events', { name: 'x' }), 400, 'VALIDATION_FAILED');
  });
});

/** A stadium as a venue would send it: 80 sections of 25 rows of 50 seats, every seat labelled. */
const LABELLED_STADIUM: LayoutInput = {
  categories: [
    { key: 'lower', name: 'Lower tier', priceCents: 9000 },
    { key: 'upper', name: 'Upper tier', priceCents: 4000 },
  ],
  sections: Array.from({ length: 80 }, (_, s) => ({
    section: `Section ${100 + s}`,
    category: s < 40 ? 'lower' : 'upper',
    rows: Array.from({ length: 25 }, (_, r) => ({
      row: `Row ${String.fromCharCode(65 + r)}`,
      seats: Array.from({ length: 50 }, (_, i) => String(1001 + i)),
    })),
  })),
  areas: [],
};

describe('POST /events body limit with the default configuration', () => {
  test('creates a 100,000-seat stadium with every seat labelled (about 760 KB of JSON)', async () => {
    // The stack reads the environment's defaults: no LAYOUT_BODY_LIMIT_BYTES is set for this file.
    assert.equal(stack.env.layoutBodyLimitBytes, DEFAULT_LAYOUT_BODY_LIMIT_BYTES);
    const body = { name: 'Stadium', holdSeconds: 600, layout: LABELLED_STADIUM };
    assert.ok(JSON.stringify(body).length > 700_000, 'the layout is far over the 16 KiB JSON limit of other endpoints');
    const res = await http().post<EventRecord>('/events', body);
    assert.equal(res.status, 201, JSON.stringify(res.body).slice(0, 300));
    assert.equal(res.body.totalSeats, 100_000);
    const layout = (await http().get<LayoutView>(`/events/${res.body.id}/layout`)).body;
    const last = layout.sections[79].rows[24].seats[49];
    assert.deepEqual([last.seatNumber, last.section, last.row, last.label], [100_000, 'Section 179', 'Row Y', '1050']);
  });

  test('returns 413 PAYLOAD_TOO_LARGE JSON for a body over the 1 MiB default', async () => {
    const body = JSON.stringify({ name: 'x'.repeat(DEFAULT_LAYOUT_BODY_LIMIT_BYTES + 1), layout: THEATRE });
    assertError(await http().post('/events', body), 413, 'PAYLOAD_TOO_LARGE');
  });
});

describe('GET /events/:id/layout', () => {
  test('lists every seat with its section, row, label, category and drawing position, and the GA areas', async () => {
    const event = await createVenueEvent(stack.baseUrl, THEATRE);
    const res = await http().get<LayoutView>(`/events/${event.id}/layout`);
    assert.equal(res.status, 200);
    const layout = res.body;
    assert.deepEqual(layout.categories, THEATRE.categories);
    assert.deepEqual(layout.sections.map((s) => [s.section, s.category, s.rows.map((r) => r.row)]), [
      ['Stalls', 'premium', ['A', 'B', 'C']],
      ['Balcony', 'normal', ['K']],
    ]);
    assert.deepEqual(layout.sections[0].rows[1].seats[2], {
      seatNumber: 9, section: 'Stalls', row: 'B', label: '3', category: 'premium', x: 2, y: 1,
    });
    assert.deepEqual(layout.sections[1].rows[0].seats.map((s) => [s.seatNumber, s.label]), [
      [19, '101'], [20, '102'], [21, '103'], [22, '104'],
    ]);
    assert.deepEqual(layout.areas, [{ area: 'Floor', category: 'floor', capacity: 30 }]);
  });

  test('carries an ETag on the layout version and answers 304 to a matching If-None-Match', async () => {
    const event = await createVenueEvent(stack.baseUrl, THEATRE);
    const first = await fetch(`${stack.baseUrl}/events/${event.id}/layout`);
    const etag = first.headers.get('etag');
    assert.ok(etag, 'no ETag');
    assert.equal(first.headers.get('cache-control'), 'no-cache');
    const again = await fetch(`${stack.baseUrl}/events/${event.id}/layout`, { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);
    const other = await fetch(`${stack.baseUrl}/events/${event.id}/layout`, { headers: { 'If-None-Match': '"stale"' } });
    assert.equal(other.status, 200);
  });

  test('an event created without a layout reads as one section, one row and one category at its price', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 3, priceCents: 1200 });
    const { body } = await http().get<LayoutView>(`/events/${event.id}/layout`);
    assert.deepEqual(body.categories, [{ key: 'standard', name: 'Standard', priceCents: 1200 }]);
    assert.deepEqual(body.sections.map((s) => [s.section, s.rows.length, s.rows[0].seats.map((x) => x.label)]), [
      ['Main', 1, ['1', '2', '3']],
    ]);
    assert.deepEqual(body.areas, []);
  });

  test('returns 404 EVENT_NOT_FOUND for an unknown event', async () => {
    assertError(await http().get('/events/00000000-0000-4000-8000-000000000000/layout'), 404, 'EVENT_NOT_FOUND');
    assertError(await http().get('/events/nope/layout'), 404, 'EVENT_NOT_FOUND');
  });
});

describe('bookings on a layout', () => {
  test('the amount is the sum of the seats’ category prices and the booking names each seat', async () => {
    const event = await createVenueEvent(stack.baseUrl, THEATRE);
    const booking = await holdSeats(stack.baseUrl, event.id, [1, 19]);
    assert.equal(booking.amountCents, 5000 + 2000);
    assert.deepEqual(booking.seats, [
      { seatNumber: 1, section: 'Stalls', row: 'A', label: '1', category: 'premium' },
      { seatNumber: 19, section: 'Balcony', row: 'K', label: '101', category: 'normal' },
    ]);
    const read = await http().get<BookingResponse>(`/bookings/${booking.id}`);
    assert.deepEqual(read.body.seats, booking.seats);
    assert.equal(read.body.amountCents, 7000);
  });

  test('an old-style booking keeps its amount and answers default labels', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 5, priceCents: 700 });
    const booking = await holdSeats(stack.baseUrl, event.id, [2, 4]);
    assert.equal(booking.amountCents, 1400);
    assert.deepEqual(booking.seatNumbers, [2, 4]);
    assert.deepEqual(booking.seats.map((s) => [s.section, s.row, s.label, s.category]), [
      ['Main', '1', '2', 'standard'],
      ['Main', '1', '4', 'standard'],
    ]);
  });

  test('a GA place cannot be asked for by number', async () => {
    const event = await createVenueEvent(stack.baseUrl, THEATRE);
    assertError(await http().post('/bookings', { eventId: event.id, userId: buyer(), seatNumbers: [23] }), 400, 'INVALID_SEATS');
  });
});

describe('PUT /events/:id/blocked-seats', () => {
  test('blocked seats are never sold, by number or best available, and come back when unblocked', async () => {
    const event = await createVenueEvent(stack.baseUrl, {
      categories: [{ key: 'n', name: 'N', priceCents: 100 }],
      sections: [{ section: 'S', category: 'n', rows: [{ row: 'A', seats: 3 }] }],
      areas: [],
    });
    const blocked = await put<{ seatNumbers: number[] }>(stack.baseUrl, `/events/${event.id}/blocked-seats`, { seatNumbers: [2, 3] });
    assert.equal(blocked.status, 200, JSON.stringify(blocked.body));
    assert.deepEqual(blocked.body.seatNumbers, [2, 3]);
    assert.equal((await http().get<EventRecord>(`/events/${event.id}`)).body.availableSeats, 1);

    assertError(await http().post('/bookings', { eventId: event.id, userId: buyer(), seatNumbers: [2] }), 409, 'SEAT_UNAVAILABLE');
    assertError(await http().post('/bookings', { eventId: event.id, userId: buyer(), quantity: 2 }), 409, 'NOT_ENOUGH_SEATS');
    const one = await http().post<BookingResponse>('/bookings', { eventId: event.id, userId: buyer(), quantity: 1 });
    assert.equal(one.status, 201, JSON.stringify(one.body));
    assert.deepEqual(one.body.seatNumbers, [1]);
    const seats = await http().get<{ seatNumber: number; status: string }[]>(`/events/${event.id}/seats`);
    assert.deepEqual(seats.body.map((s) => s.status), ['HELD', 'BLOCKED', 'BLOCKED']);

    // A held seat cannot be taken off sale: 409 and nothing changes.
    assertError(await put(stack.baseUrl, `/events/${event.id}/blocked-seats`, { seatNumbers: [1, 2] }), 409, 'SEAT_UNAVAILABLE');
    assert.deepEqual((await http().get<{ seatNumbers: number[] }>(`/events/${event.id}/blocked-seats`)).body.seatNumbers, [2, 3]);

    await put(stack.baseUrl, `/events/${event.id}/blocked-seats`, { seatNumbers: [] });
    const again = await http().post<BookingResponse>('/bookings', { eventId: event.id, userId: buyer(), seatNumbers: [2, 3] });
    assert.equal(again.status, 201, JSON.stringify(again.body));
  });

  test('returns 400 for seats the event does not have', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 3 });
    assertError(await put(stack.baseUrl, `/events/${event.id}/blocked-seats`, { seatNumbers: [4] }), 400, 'INVALID_SEATS');
    assertError(await request(stack.baseUrl, 'PUT', `/events/${event.id}/blocked-seats`, { seatNumbers: 'x' }), 400, 'VALIDATION_FAILED');
  });
});
