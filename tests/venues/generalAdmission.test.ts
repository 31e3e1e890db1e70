import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import type { BookingResponse } from '../../api/presenters/booking';
import type { LayoutInput } from '../../domain/layout';
import { assertError } from '../api/assertions';
import { burst, retryWhileBusy, statusCounts } from '../concurrency/burst';
import { eventually } from '../support/factories';
import { api } from '../support/http';
import { useTestStack } from '../support/stack';
import { diagnostic } from '../support/testHooks';
import { checkIn, ticketsOf } from '../tickets/ticketSupport';
import { buyer, createVenueEvent, THEATRE } from './venueFixtures';

const stack = useTestStack();
const http = () => api(stack.baseUrl);

interface Areas {
  areas: { area: string; capacity: number; available: number }[];
}

const placesLeft = async (eventId: string, area = 'Floor') =>
  (await http().get<Areas>(`/events/${eventId}/areas`)).body.areas.find((a) => a.area === area)?.available;

const holdPlaces = (eventId: string, quantity: number, area = 'Floor', userId = buyer()) =>
  http().post<BookingResponse>('/bookings', { eventId, userId, area, quantity });

function festival(capacity: number): LayoutInput {
  return { categories: [{ key: 'ga', name: 'General admission', priceCents: 900 }], sections: [], areas: [{ area: 'Field', category: 'ga', capacity }] };
}

describe('POST /bookings {area, quantity}: general admission', () => {
  test('holds places: the booking has the area and quantity, no seat numbers, and the area’s price', async () => {
    const event = await createVenueEvent(stack.baseUrl, THEATRE);
    const res = await holdPlaces(event.id, 3);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.status, 'HELD');
    assert.equal(res.body.area, 'Floor');
    assert.equal(res.body.quantity, 3);
    assert.deepEqual(res.body.seatNumbers, []);
    assert.equal(res.body.amountCents, 3 * 1500);
    assert.equal(await placesLeft(event.id), 27);
    const read = await http().get<BookingResponse>(`/bookings/${res.body.id}`);
    assert.equal(read.body.area, 'Floor');
    assert.equal(read.body.quantity, 3);
  });

  test('paid, it issues one ticket per place, and each admits once at the gate', async () => {
    const event = await createVenueEvent(stack.baseUrl, THEATRE);
    const held = await holdPlaces(event.id, 2);
    const paid = await http().post<BookingResponse>(`/bookings/${held.body.id}/confirm`, { paymentToken: `tok_${randomUUID()}` });
    assert.equal(paid.status, 200, JSON.stringify(paid.body));
    assert.equal(paid.body.status, 'CONFIRMED');
    const tickets = await ticketsOf(stack.baseUrl, held.body.id);
    assert.equal(tickets.length, 2);
    assert.equal(new Set(tickets.map((t) => t.seatNumber)).size, 2);
    for (const ticket of tickets) {
      const first = await checkIn(stack.baseUrl, { code: ticket.code, eventId: event.id });
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assertError(await checkIn(stack.baseUrl, { code: ticket.code, eventId: event.id }), 409, 'ALREADY_USED');
    }
    assert.equal(await placesLeft(event.id), 28);
  });

  test('a cancelled hold gives its places back, and so does an expired one', async () => {
    const event = await createVenueEvent(stack.baseUrl, THEATRE, { holdSeconds: 2 });
    const cancelled = await holdPlaces(event.id, 4);
    assert.equal(await placesLeft(event.id), 26);
    const res = await http().post<BookingResponse>(`/bookings/${cancelled.body.id}/cancel`, {});
    assert.equal(res.body.status, 'CANCELLED', JSON.stringify(res.body));
    assert.equal(await placesLeft(event.id), 30);

    const lapsing = await holdPlaces(event.id, 5);
    assert.equal(await placesLeft(event.id), 25);
    await eventually(async () => ((await placesLeft(event.id)) === 30 ? true : undefined), 15_000, 'the lapsed hold’s places');
    assert.equal((await http().get<BookingResponse>(`/bookings/${lapsing.body.id}`)).body.status, 'EXPIRED');
  });

  test('returns 409 NOT_ENOUGH_SEATS when the area has too few places left, and 400 for an unknown area', async () => {
    const event = await createVenueEvent(stack.baseUrl, festival(3));
    assert.equal(event.totalSeats, 0);
    assert.equal((await holdPlaces(event.id, 2, 'Field')).status, 201);
    assertError(await holdPlaces(event.id, 2, 'Field'), 409, 'NOT_ENOUGH_SEATS');
    assert.equal(await placesLeft(event.id, 'Field'), 1);
    assertError(await holdPlaces(event.id, 1, 'Moon'), 400, 'INVALID_SEATS');
    assertError(await http().post('/bookings', { eventId: event.id, userId: buyer(), area: 'Field', quantity: 1, section: 'x' }), 400, 'VALIDATION_FAILED');
  });
});

describe('general admission under load', () => {
  test('1,000 buyers at once for 25 places each in a 20,000-place area: exactly 800 holds, never oversold', async () => {
    const event = await createVenueEvent(stack.baseUrl, festival(20_000), { maxSeatsPerBooking: 25 });
    const started = Date.now();
    const answers = await burst(1000, () => {
      const userId = buyer();
      return retryWhileBusy(() => holdPlaces(event.id, 25, 'Field', userId));
    });
    const counts = statusCounts(answers.map((a) => a.status));
    diagnostic(`1,000 GA holds of 25 in ${Date.now() - started} ms: ${JSON.stringify(counts)}`);
    assert.deepEqual(counts, { 201: 800, 409: 200 }, JSON.stringify(answers.find((a) => a.status >= 500)?.body));
    for (const refused of answers.filter((a) => a.status === 409)) {
      assert.equal((refused.body as unknown as { code: string }).code, 'NOT_ENOUGH_SEATS');
    }
    assert.equal(await placesLeft(event.id, 'Field'), 0);
    const { rows } = await stack.pool.query<{ held: number; distinct_places: number; bookings: number }>(
      `SELECT count(*) AS held, count(DISTINCT s.seat_number) AS distinct_places, count(DISTINCT s.booking_id) AS bookings
         FROM seats s WHERE s.event_id = $1 AND s.status = 'HELD'`,
      [event.id],
    );
    assert.deepEqual(rows[0], { held: 20_000, distinct_places: 20_000, bookings: 800 });
    const sums = await stack.pool.query<{ places: number }>(
      `SELECT coalesce(sum(cardinality(seat_numbers)), 0) AS places FROM bookings WHERE event_id = $1 AND status = 'HELD'`,
      [event.id],
    );
    assert.equal(sums.rows[0].places, 20_000);
  });
});
