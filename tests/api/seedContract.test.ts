/**
 * The seed document's simple contract (../shared/seeds/003_*): create an event, look at it and its
 * seats, and book one seat at once with POST /events/:id/book.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import type { EventRecord, SeatView } from '../../domain/event';
import { holdSeats } from '../support/factories';
import { api } from '../support/http';
import { useTestStack } from '../support/stack';
import { assertError } from './assertions';

const stack = useTestStack();

const http = () => api(stack.baseUrl);

async function seedEvent(totalSeats: number): Promise<EventRecord> {
  const res = await http().post<EventRecord>('/events', { name: `Seed ${randomUUID().slice(0, 8)}`, totalSeats });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

const book = (eventId: string, body: unknown) => http().post(`/events/${eventId}/book`, body);

async function seatMap(eventId: string): Promise<SeatView[]> {
  return (await http().get<SeatView[]>(`/events/${eventId}/seats`)).body;
}

async function seatBookings(eventId: string): Promise<number> {
  const { rows } = await stack.pool.query<{ count: number }>(
    `SELECT count(*) FROM bookings WHERE event_id = $1 AND status IN ('HELD', 'CONFIRMED')`,
    [eventId],
  );
  return rows[0].count;
}

describe('seed contract: POST /events then GET /events/:id and /seats', () => {
  test('creates an event with availableSeats = totalSeats and seats 1..N unbooked', async () => {
    const event = await seedEvent(50);
    assert.equal(event.totalSeats, 50);
    assert.equal(event.availableSeats, 50);
    const fetched = (await http().get<EventRecord>(`/events/${event.id}`)).body;
    assert.equal(fetched.availableSeats, 50);
    const seats = await seatMap(event.id);
    assert.equal(seats.length, 50);
    seats.forEach((seat, i) => {
      assert.equal(seat.seatNumber, i + 1);
      assert.equal(seat.booked, false);
    });
  });
});

describe('seed contract: POST /events/:id/book', () => {
  test('returns 201 with the seed success body and books the seat at once', async () => {
    const event = await seedEvent(5);
    const res = await book(event.id, { userId: 'u123', seatNumber: 4 });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.success, true);
    assert.equal(res.body.eventId, event.id);
    assert.equal(res.body.seatNumber, 4);
    assert.equal(res.body.userId, 'u123');
    assert.equal(res.body.message, 'Seat booked successfully');

    const seat = (await seatMap(event.id)).find((s) => s.seatNumber === 4);
    assert.deepEqual(seat, { seatNumber: 4, booked: true, status: 'BOOKED' });
    assert.equal((await http().get<EventRecord>(`/events/${event.id}`)).body.availableSeats, 4);
  });

  test('returns 409 "Seat already booked" for a booked seat, and keeps the first booking', async () => {
    const event = await seedEvent(5);
    assert.equal((await book(event.id, { userId: 'first', seatNumber: 2 })).status, 201);
    const res = await book(event.id, { userId: 'second', seatNumber: 2 });
    const err = assertError(res, 409, 'SEAT_ALREADY_BOOKED');
    assert.equal(err.message, 'Seat already booked');
    assert.equal(await seatBookings(event.id), 1);
    assert.equal((await http().get<EventRecord>(`/events/${event.id}`)).body.availableSeats, 4);
  });

  test('returns 409 "Seat already booked" when the same user books the same seat again', async () => {
    const event = await seedEvent(3);
    assert.equal((await book(event.id, { userId: 'u1', seatNumber: 1 })).status, 201);
    const err = assertError(await book(event.id, { userId: 'u1', seatNumber: 1 }), 409, 'SEAT_ALREADY_BOOKED');
    assert.equal(err.message, 'Seat already booked');
    assert.equal(await seatBookings(event.id), 1);
  });

  test('returns 409 "Seat already booked" for a seat another buyer holds', async () => {
    const event = await seedEvent(4);
    await holdSeats(stack.baseUrl, event.id, [3]);
    const err = assertError(await book(event.id, { userId: 'u2', seatNumber: 3 }), 409, 'SEAT_ALREADY_BOOKED');
    assert.equal(err.message, 'Seat already booked');
  });

  test('returns 404 for an unknown event', async () => {
    assertError(await book(randomUUID(), { userId: 'u1', seatNumber: 1 }), 404, 'EVENT_NOT_FOUND');
    assertError(await book('no-such-event', { userId: 'u1', seatNumber: 1 }), 404, 'EVENT_NOT_FOUND');
  });

  for (const [why, seatNumber] of [
    ['seatNumber > totalSeats', 6],
    ['seatNumber is 0', 0],
    ['seatNumber is negative', -1],
  ] as const) {
    test(`returns 400 INVALID_SEATS when ${why}, and books nothing`, async () => {
      const event = await seedEvent(5);
      assertError(await book(event.id, { userId: 'u1', seatNumber }), 400, 'INVALID_SEATS');
      assert.equal(await seatBookings(event.id), 0);
      assert.equal((await http().get<EventRecord>(`/events/${event.id}`)).body.availableSeats, 5);
    });
  }

  test('returns 400 SOLD_OUT once every seat is taken', async () => {
    const event = await seedEvent(2);
    assert.equal((await book(event.id, { userId: 'a', seatNumber: 1 })).status, 201);
    assert.equal((await book(event.id, { userId: 'b', seatNumber: 2 })).status, 201);
    assert.equal((await http().get<EventRecord>(`/events/${event.id}`)).body.availableSeats, 0);
    assertError(await book(event.id, { userId: 'c', seatNumber: 1 }), 400, 'SOLD_OUT');
    assert.equal(await seatBookings(event.id), 2);
  });

  for (const [why, body] of [
    ['userId is missing', { seatNumber: 1 }],
    ['seatNumber is missing', { userId: 'u1' }],
    ['seatNumber is a string', { userId: 'u1', seatNumber: '1' }],
    ['seatNumber is fractional', { userId: 'u1', seatNumber: 1.5 }],
    ['an unknown field is sent', { userId: 'u1', seatNumber: 1, vip: true }],
  ] as const) {
    test(`returns 400 VALIDATION_FAILED when ${why}`, async () => {
      const event = await seedEvent(3);
      assertError(await book(event.id, body), 400, 'VALIDATION_FAILED');
      assert.equal(await seatBookings(event.id), 0);
    });
  }

  test('returns 402 PAYMENT_REQUIRED for a paid event, which must go through POST /bookings', async () => {
    const res = await http().post<EventRecord>('/events', { name: 'Paid seed', totalSeats: 3, priceCents: 1000 });
    assert.equal(res.status, 201);
    assertError(await book(res.body.id, { userId: 'u1', seatNumber: 1 }), 402, 'PAYMENT_REQUIRED');
    assert.equal(await seatBookings(res.body.id), 0);
  });
});
