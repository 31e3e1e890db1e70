import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import type { BookingResponse } from '../../api/presenters/booking';
import type { EventRecord } from '../../domain/event';
import type { LayoutInput } from '../../domain/layout';
import { assertError } from '../api/assertions';
import { burst, statusCounts } from '../concurrency/burst';
import { holdSeats } from '../support/factories';
import { api } from '../support/http';
import { useTestStack } from '../support/stack';
import { diagnostic } from '../support/testHooks';
import { buyer, createVenueEvent, THEATRE } from './venueFixtures';

const stack = useTestStack();
const http = () => api(stack.baseUrl);

/** One section of `rows` rows of `width` seats, rows "A", "B", ... nearest the stage first. */
function hall(rows: number, width: number): LayoutInput {
  return {
    categories: [{ key: 'n', name: 'Normal', priceCents: 1000 }],
    sections: [
      {
        section: 'Hall',
        category: 'n',
        rows: Array.from({ length: rows }, (_, i) => ({ row: `R${i + 1}`, seats: width })),
      },
    ],
    areas: [],
  };
}

const best = (eventId: string, quantity: number, more: Record<string, unknown> = {}) =>
  http().post<BookingResponse>('/bookings', { eventId, userId: buyer(), quantity, ...more });

async function bestSeats(eventId: string, quantity: number, more: Record<string, unknown> = {}): Promise<number[]> {
  const res = await best(eventId, quantity, more);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.seatNumbers;
}

describe('POST /bookings {quantity}: best available', () => {
  test('holds adjacent seats in the row nearest the stage, away from a stranded single seat', async () => {
    // Rows of 6: seats 1-6 are row R1, 7-12 row R2.
    const event = await createVenueEvent(stack.baseUrl, hall(2, 6));
    const res = await best(event.id, 4);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    // Seats 2-5 would leave seats 1 and 6 stranded; 1-4 leaves two together.
    assert.deepEqual(res.body.seatNumbers, [1, 2, 3, 4]);
    assert.deepEqual(res.body.seats.map((s) => `${s.section} ${s.row}-${s.label}`), ['Hall R1-1', 'Hall R1-2', 'Hall R1-3', 'Hall R1-4']);
    assert.equal(res.body.amountCents, 4000);
    assert.equal(res.body.status, 'HELD');
  });

  test('does not leave a single free seat beside the block when another choice leaves none', async () => {
    const event = await createVenueEvent(stack.baseUrl, hall(2, 6));
    await holdSeats(stack.baseUrl, event.id, [1]);
    // Free in R1: 2..6. The middle pair (3, 4) would strand seat 2; (2, 3) strands nothing.
    assert.deepEqual(await bestSeats(event.id, 2), [2, 3]);
  });

  test('prefers a gap that fits exactly in a nearer row over a whole farther row', async () => {
    const event = await createVenueEvent(stack.baseUrl, hall(3, 6));
    await holdSeats(stack.baseUrl, event.id, [2, 5]);
    // R1 free runs: [1], [3, 4], [6]: the pair fits 3-4 without stranding.
    assert.deepEqual(await bestSeats(event.id, 2), [3, 4]);
  });

  test('moves to the next row when the nearest one has no room', async () => {
    const event = await createVenueEvent(stack.baseUrl, hall(3, 4));
    await holdSeats(stack.baseUrl, event.id, [2, 3]);
    // R1 has 1 and 4 free, apart. Three in a row of four always strand one seat, so the nearest row
    // with room wins: R2 (5-8), from its start.
    const seats = await bestSeats(event.id, 3);
    assert.deepEqual(seats, [5, 6, 7]);
  });

  test('falls back to the nearest group across rows when no row has enough adjacent seats', async () => {
    const event = await createVenueEvent(stack.baseUrl, hall(2, 3));
    await holdSeats(stack.baseUrl, event.id, [2, 5]);
    // Free: R1 1 and 3, R2 4 and 6: no pair is adjacent; the two nearest the stage are 1 and 3.
    assert.deepEqual(await bestSeats(event.id, 2), [1, 3]);
  });

  test('honours the category and the section asked for', async () => {
    const event = await createVenueEvent(stack.baseUrl, THEATRE);
    const byCategory = await best(event.id, 2, { category: 'normal' });
    assert.equal(byCategory.status, 201, JSON.stringify(byCategory.body));
    assert.deepEqual(byCategory.body.seats.map((s) => [s.section, s.row, s.label, s.category]), [
      ['Balcony', 'K', '101', 'normal'],
      ['Balcony', 'K', '102', 'normal'],
    ]);
    assert.equal(byCategory.body.amountCents, 4000);
    const bySection = await best(event.id, 2, { section: 'Balcony' });
    assert.deepEqual(bySection.body.seatNumbers, [21, 22]);
    const stalls = await best(event.id, 3, { section: 'Stalls', category: 'premium' });
    assert.ok(stalls.body.seats.every((s) => s.section === 'Stalls' && s.row === 'A'), JSON.stringify(stalls.body.seats));
  });

  test('returns 409 NOT_ENOUGH_SEATS and holds nothing when the request cannot be met', async () => {
    const event = await createVenueEvent(stack.baseUrl, THEATRE);
    const before = (await http().get<EventRecord>(`/events/${event.id}`)).body.availableSeats;
    assertError(await best(event.id, 5, { section: 'Balcony' }), 409, 'NOT_ENOUGH_SEATS');
    assert.equal((await http().get<EventRecord>(`/events/${event.id}`)).body.availableSeats, before);
  });

  test('returns 400 for a category or section the event does not have, or more seats than a booking may hold', async () => {
    const event = await createVenueEvent(stack.baseUrl, THEATRE, { maxSeatsPerBooking: 4 });
    assertError(await best(event.id, 2, { category: 'vip' }), 400, 'INVALID_SEATS');
    assertError(await best(event.id, 2, { section: 'Gallery' }), 400, 'INVALID_SEATS');
    assertError(await best(event.id, 5), 400, 'INVALID_SEATS');
    assertError(await http().post('/bookings', { eventId: event.id, userId: buyer(), quantity: 2, seatNumbers: [1] }), 400, 'VALIDATION_FAILED');
    assertError(await http().post('/bookings', { eventId: event.id, userId: buyer(), quantity: 0 }), 400, 'VALIDATION_FAILED');
  });

  test('a retried request with the same Idempotency-Key answers the same seats', async () => {
    const event = await createVenueEvent(stack.baseUrl, hall(2, 6));
    const body = { eventId: event.id, userId: buyer(), quantity: 2 };
    const first = await http().post<BookingResponse>('/bookings', body, { 'Idempotency-Key': 'pick-1' });
    const again = await http().post<BookingResponse>('/bookings', body, { 'Idempotency-Key': 'pick-1' });
    assert.equal(first.status, 201);
    assert.equal(again.status, 201);
    assert.equal(again.body.id, first.body.id);
    assert.deepEqual(again.body.seatNumbers, first.body.seatNumbers);
  });

  test('works on an event created without a layout (one row)', async () => {
    const res = await http().post<EventRecord>('/events', { name: 'Plain', totalSeats: 10, priceCents: 300 });
    await holdSeats(stack.baseUrl, res.body.id, [5]);
    const picked = await bestSeats(res.body.id, 3);
    assert.equal(picked.length, 3);
    assert.ok(picked.every((n, i) => i === 0 || n === picked[i - 1] + 1), `not adjacent: ${picked}`);
  });
});

describe('POST /bookings {quantity} with 500 buyers at once', () => {
  test('500 buyers asking for pairs on a 1,000-seat section get disjoint seats and none is refused', async () => {
    const event = await createVenueEvent(stack.baseUrl, hall(50, 20));
    const started = Date.now();
    const answers = await burst(500, () => best(event.id, 2));
    const counts = statusCounts(answers.map((a) => a.status));
    const seats = answers.flatMap((a) => a.body.seatNumbers ?? []);
    const adjacent = answers.filter((a) => a.body.seats?.[0]?.row === a.body.seats?.[1]?.row &&
      Math.abs(a.body.seatNumbers[0] - a.body.seatNumbers[1]) === 1).length;
    diagnostic(`500 best-available pairs in ${Date.now() - started} ms: ${JSON.stringify(counts)}, ${adjacent} adjacent in a row`);
    assert.deepEqual(counts, { 201: 500 }, JSON.stringify(answers.find((a) => a.status !== 201)?.body));
    assert.equal(new Set(seats).size, 1000, 'a seat was given to two buyers');
    assert.equal((await http().get<EventRecord>(`/events/${event.id}`)).body.availableSeats, 0);
    // Now the section is full: the next buyer is refused.
    assertError(await best(event.id, 2), 409, 'NOT_ENOUGH_SEATS');
  });
});
