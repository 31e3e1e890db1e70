/**
 * Random seat allocation: POST /bookings {quantity, random: true} holds free seats drawn at random
 * from the category or section asked for, concurrency-safe like best available.
 */
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
import { buyer, createVenueEvent, THEATRE } from './venueFixtures';

const stack = useTestStack();
const http = () => api(stack.baseUrl);

/** One section of 20 rows of 25 seats (500 seats). */
const HALL: LayoutInput = {
  categories: [{ key: 'n', name: 'Normal', priceCents: 1000 }],
  sections: [{ section: 'Hall', category: 'n', rows: Array.from({ length: 20 }, (_, i) => ({ row: `R${i + 1}`, seats: 25 })) }],
  areas: [],
};

const random = (eventId: string, quantity: number, more: Record<string, unknown> = {}) =>
  http().post<BookingResponse>('/bookings', { eventId, userId: buyer(), quantity, random: true, ...more });

describe('POST /bookings {quantity, random: true}: random seat allocation', () => {
  test('holds the quantity asked for, within the category asked for, at its price', async () => {
    const event = await createVenueEvent(stack.baseUrl, THEATRE);
    const res = await random(event.id, 3, { category: 'normal' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.seatNumbers.length, 3);
    assert.ok(res.body.seats.every((s) => s.section === 'Balcony'), JSON.stringify(res.body.seats));
    assert.equal(res.body.amountCents, 6000);
    const section = await random(event.id, 2, { section: 'Stalls' });
    assert.equal(section.status, 201, JSON.stringify(section.body));
    assert.ok(section.body.seats.every((s) => s.section === 'Stalls'), JSON.stringify(section.body.seats));
  });

  test('draws seats at random, not the best available block (two identical halls get different seats)', async () => {
    const picks: number[][] = [];
    for (let i = 0; i < 2; i++) {
      const event = await createVenueEvent(stack.baseUrl, HALL);
      const res = await random(event.id, 5);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      picks.push(res.body.seatNumbers);
    }
    // Best available would give the same five adjacent front-row seats each time; a draw of 5 of 500 repeats
    // with a negligible chance.
    assert.notDeepEqual(picks[0], picks[1]);
    const frontRow = (seats: number[]) => seats.every((n) => n <= 25);
    assert.ok(!(frontRow(picks[0]) && frontRow(picks[1])), JSON.stringify(picks));
  });

  test('holds seats that are not adjacent when no two free seats are', async () => {
    const event = await createVenueEvent(stack.baseUrl, {
      categories: [{ key: 'n', name: 'Normal', priceCents: 100 }],
      sections: [{ section: 'Row', category: 'n', rows: [{ row: 'A', seats: 8 }] }],
      areas: [],
    });
    await holdSeats(stack.baseUrl, event.id, [2, 4, 6, 8]);
    const res = await random(event.id, 4);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(res.body.seatNumbers, [1, 3, 5, 7]);
  });

  test('returns 409 NOT_ENOUGH_SEATS and holds nothing when the filter has too few free seats', async () => {
    const event = await createVenueEvent(stack.baseUrl, THEATRE);
    assertError(await random(event.id, 5, { category: 'normal' }), 409, 'NOT_ENOUGH_SEATS');
    assert.equal((await http().get<EventRecord>(`/events/${event.id}`)).body.availableSeats, 22 + 30);
  });

  test('a retried request with the same Idempotency-Key answers the same seats, not a new draw', async () => {
    const event = await createVenueEvent(stack.baseUrl, HALL);
    const body = { eventId: event.id, userId: buyer(), quantity: 4, random: true };
    const first = await http().post<BookingResponse>('/bookings', body, { 'Idempotency-Key': 'draw-1' });
    const again = await http().post<BookingResponse>('/bookings', body, { 'Idempotency-Key': 'draw-1' });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(again.status, 201, JSON.stringify(again.body));
    assert.equal(again.body.id, first.body.id);
    assert.deepEqual(again.body.seatNumbers, first.body.seatNumbers);
    assert.equal((await http().get<EventRecord>(`/events/${event.id}`)).body.availableSeats, 496);
  });

  test('returns 400 for random with seatNumbers or with a GA area', async () => {
    const event = await createVenueEvent(stack.baseUrl, THEATRE);
    const post = (body: Record<string, unknown>) => http().post('/bookings', { eventId: event.id, userId: buyer(), ...body });
    assertError(await post({ seatNumbers: [1], random: true }), 400, 'VALIDATION_FAILED');
    assertError(await post({ quantity: 2, area: 'Floor', random: true }), 400, 'VALIDATION_FAILED');
  });

  test('200 buyers drawing pairs from 300 seats at once get disjoint seats; the rest get 409', async () => {
    const event = await createVenueEvent(stack.baseUrl, {
      ...HALL,
      sections: [{ ...HALL.sections[0], rows: HALL.sections[0].rows.slice(0, 12) }],
    });
    const answers = await burst(200, () => random(event.id, 2));
    const counts = statusCounts(answers.map((a) => a.status));
    assert.deepEqual(counts, { 201: 150, 409: 50 }, JSON.stringify(answers.find((a) => a.status !== 201 && a.status !== 409)?.body));
    const seats = answers.flatMap((a) => (a.status === 201 ? a.body.seatNumbers : []));
    assert.equal(new Set(seats).size, 300, 'a seat was given to two buyers');
    assert.equal((await http().get<EventRecord>(`/events/${event.id}`)).body.availableSeats, 0);
  });
});
