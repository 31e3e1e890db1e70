import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import type { BookingResponse } from '../../api/presenters/booking';
import type { EventRecord, SeatView } from '../../domain/event';
import { createEvent, eventually, holdSeats } from '../support/factories';
import { api } from '../support/http';
import { useTestStack } from '../support/stack';
import { assertError } from './assertions';

const stack = useTestStack();

const http = () => api(stack.baseUrl);
const newUser = () => `user-${randomUUID().slice(0, 8)}`;

async function seatStatuses(eventId: string): Promise<Map<number, string>> {
  const res = await http().get<SeatView[]>(`/events/${eventId}/seats`);
  assert.equal(res.status, 200);
  return new Map(res.body.map((s) => [s.seatNumber, s.status]));
}

async function availableSeats(eventId: string): Promise<number> {
  return (await http().get<EventRecord>(`/events/${eventId}`)).body.availableSeats;
}

async function bookingCount(eventId: string): Promise<number> {
  const { rows } = await stack.pool.query<{ count: number }>('SELECT count(*) FROM bookings WHERE event_id = $1', [
    eventId,
  ]);
  return rows[0].count;
}

describe('POST /bookings', () => {
  test('returns 201 with the hold: id, workflowId, HELD, seats, amount and expiry', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 10, priceCents: 1250 });
    const userId = newUser();
    const startedAt = Date.now();
    const res = await http().post<BookingResponse>('/bookings', { eventId: event.id, userId, seatNumbers: [4, 5] });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const booking = res.body;
    assert.match(booking.id, /^[0-9a-f-]{36}$/);
    assert.equal(booking.workflowId, `booking-${booking.id}`);
    assert.equal(booking.status, 'HELD');
    assert.equal(booking.eventId, event.id);
    assert.equal(booking.userId, userId);
    assert.deepEqual(booking.seatNumbers, [4, 5]);
    assert.equal(booking.amountCents, 2500);
    assert.ok(booking.expiresAt, 'no expiresAt');
    assert.ok(Date.parse(booking.expiresAt) > startedAt, `expiresAt ${booking.expiresAt} is not in the future`);

    const seats = await seatStatuses(event.id);
    assert.equal(seats.get(4), 'HELD');
    assert.equal(seats.get(5), 'HELD');
    assert.equal(await availableSeats(event.id), 8);
  });

  test('returns 409 SEAT_UNAVAILABLE naming the taken seats, and holds none of the requested seats', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 10 });
    await holdSeats(stack.baseUrl, event.id, [2, 3]);
    const err = assertError(
      await http().post('/bookings', { eventId: event.id, userId: newUser(), seatNumbers: [3, 4, 2] }),
      409,
      'SEAT_UNAVAILABLE',
    );
    assert.deepEqual([...(err.details?.seats ?? [])].sort((a, b) => a - b), [2, 3]);
    assert.match(err.message, /2/);
    assert.match(err.message, /3/);

    const seats = await seatStatuses(event.id);
    assert.equal(seats.get(4), 'AVAILABLE', 'the free seat of a refused request was held');
    assert.equal(await availableSeats(event.id), 8);
  });

  test('returns 404 EVENT_NOT_FOUND for an unknown event', async () => {
    assertError(
      await http().post('/bookings', { eventId: randomUUID(), userId: newUser(), seatNumbers: [1] }),
      404,
      'EVENT_NOT_FOUND',
    );
  });

  test('returns 400 VALIDATION_FAILED for an empty seat list', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 5 });
    assertError(
      await http().post('/bookings', { eventId: event.id, userId: newUser(), seatNumbers: [] }),
      400,
      'VALIDATION_FAILED',
    );
    assert.equal(await bookingCount(event.id), 0);
  });

  const invalidSeatLists: [string, number[]][] = [
    ['a seat is requested twice', [1, 2, 1]],
    ['seat 0 is requested', [0]],
    ['a negative seat is requested', [-3]],
    ['seat N+1 is requested', [6]],
    ['one of several seats is out of range', [1, 2, 99]],
    ['more seats than maxSeatsPerBooking are requested', [1, 2, 3]],
  ];
  for (const [why, seatNumbers] of invalidSeatLists) {
    test(`returns 400 INVALID_SEATS when ${why}, and holds nothing`, async () => {
      const event = await createEvent(stack.baseUrl, { totalSeats: 5, maxSeatsPerBooking: 2 });
      assertError(
        await http().post('/bookings', { eventId: event.id, userId: newUser(), seatNumbers }),
        400,
        'INVALID_SEATS',
      );
      assert.equal(await availableSeats(event.id), 5);
      assert.equal(await bookingCount(event.id), 0);
    });
  }

  test('accepts exactly maxSeatsPerBooking seats, including the last seat N', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 5, maxSeatsPerBooking: 2 });
    const booking = await holdSeats(stack.baseUrl, event.id, [1, 5]);
    assert.deepEqual(booking.seatNumbers, [1, 5]);
  });

  const wrongTypes: [string, Record<string, unknown>][] = [
    ['seatNumbers is not an array', { userId: 'u', seatNumbers: 1 }],
    ['a seat number is a string', { userId: 'u', seatNumbers: ['1'] }],
    ['a seat number is fractional', { userId: 'u', seatNumbers: [1.5] }],
    ['userId is missing', { seatNumbers: [1] }],
    ['userId is blank', { userId: '  ', seatNumbers: [1] }],
    ['an unknown field is sent', { userId: 'u', seatNumbers: [1], coupon: 'FREE' }],
  ];
  for (const [why, body] of wrongTypes) {
    test(`returns 400 VALIDATION_FAILED when ${why}`, async () => {
      const event = await createEvent(stack.baseUrl, { totalSeats: 5 });
      assertError(await http().post('/bookings', { eventId: event.id, ...body }), 400, 'VALIDATION_FAILED');
      assert.equal(await bookingCount(event.id), 0);
    });
  }

  test('returns 400 VALIDATION_FAILED when eventId is not a uuid', async () => {
    assertError(
      await http().post('/bookings', { eventId: 'event-1', userId: newUser(), seatNumbers: [1] }),
      400,
      'VALIDATION_FAILED',
    );
  });
});

describe('POST /bookings with an Idempotency-Key', () => {
  test('the same key from the same user returns the same booking and holds once', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 10 });
    const userId = newUser();
    const key = `key-${randomUUID()}`;
    const body = { eventId: event.id, userId, seatNumbers: [1, 2] };
    const first = await http().post<BookingResponse>('/bookings', body, { 'Idempotency-Key': key });
    const second = await http().post<BookingResponse>('/bookings', body, { 'Idempotency-Key': key });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(second.status, 201, JSON.stringify(second.body));
    assert.equal(second.body.id, first.body.id);
    assert.equal(second.body.status, 'HELD');
    assert.deepEqual(second.body.seatNumbers, [1, 2]);
    assert.equal(await bookingCount(event.id), 1);
    assert.equal(await availableSeats(event.id), 8);
  });

  test('the same key from another user makes a different booking', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 10 });
    const key = `key-${randomUUID()}`;
    const mine = await http().post<BookingResponse>(
      '/bookings',
      { eventId: event.id, userId: newUser(), seatNumbers: [1] },
      { 'Idempotency-Key': key },
    );
    const theirs = await http().post<BookingResponse>(
      '/bookings',
      { eventId: event.id, userId: newUser(), seatNumbers: [2] },
      { 'Idempotency-Key': key },
    );
    assert.equal(mine.status, 201, JSON.stringify(mine.body));
    assert.equal(theirs.status, 201, JSON.stringify(theirs.body));
    assert.notEqual(theirs.body.id, mine.body.id);
    assert.equal(await bookingCount(event.id), 2);
  });

  test('the same key with different seats returns 422 IDEMPOTENCY_KEY_REUSED and holds nothing more', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 10 });
    const userId = newUser();
    const key = `key-${randomUUID()}`;
    const first = await http().post('/bookings', { eventId: event.id, userId, seatNumbers: [1] }, { 'Idempotency-Key': key });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assertError(
      await http().post('/bookings', { eventId: event.id, userId, seatNumbers: [1, 2] }, { 'Idempotency-Key': key }),
      422,
      'IDEMPOTENCY_KEY_REUSED',
    );
    assert.equal((await seatStatuses(event.id)).get(2), 'AVAILABLE');
    assert.equal(await bookingCount(event.id), 1);
  });

  test('the same key for another event returns 422 IDEMPOTENCY_KEY_REUSED', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 10 });
    const other = await createEvent(stack.baseUrl, { totalSeats: 10 });
    const userId = newUser();
    const key = `key-${randomUUID()}`;
    const first = await http().post('/bookings', { eventId: event.id, userId, seatNumbers: [1] }, { 'Idempotency-Key': key });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assertError(
      await http().post('/bookings', { eventId: other.id, userId, seatNumbers: [1] }, { 'Idempotency-Key': key }),
      422,
      'IDEMPOTENCY_KEY_REUSED',
    );
    assert.equal(await availableSeats(other.id), 10);
  });

  test('a retry of a refused request answers the same 409 SEAT_UNAVAILABLE', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 10 });
    await holdSeats(stack.baseUrl, event.id, [7]);
    const body = { eventId: event.id, userId: newUser(), seatNumbers: [7] };
    const key = `key-${randomUUID()}`;
    const first = assertError(await http().post('/bookings', body, { 'Idempotency-Key': key }), 409, 'SEAT_UNAVAILABLE');
    const retry = assertError(await http().post('/bookings', body, { 'Idempotency-Key': key }), 409, 'SEAT_UNAVAILABLE');
    assert.deepEqual(first.details?.seats, [7]);
    assert.deepEqual(retry.details?.seats, [7]);
  });

  for (const [why, key] of [
    ['longer than 255 characters', 'k'.repeat(256)],
    ['not printable ASCII', 'clé idempotente'],
  ] as const) {
    test(`returns 400 VALIDATION_FAILED for a key ${why}`, async () => {
      const event = await createEvent(stack.baseUrl, { totalSeats: 5 });
      const res = await http().post(
        '/bookings',
        { eventId: event.id, userId: newUser(), seatNumbers: [1] },
        { 'Idempotency-Key': key },
      );
      assertError(res, 400, 'VALIDATION_FAILED');
      assert.equal(await bookingCount(event.id), 0);
    });
  }
});

describe('GET /bookings/:id', () => {
  test('returns the booking with its status', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 5, priceCents: 700 });
    const held = await holdSeats(stack.baseUrl, event.id, [2]);
    const res = await http().get<BookingResponse>(`/bookings/${held.id}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.id, held.id);
    assert.equal(res.body.status, 'HELD');
    assert.equal(res.body.eventId, event.id);
    assert.equal(res.body.userId, held.userId);
    assert.deepEqual(res.body.seatNumbers, [2]);
    assert.equal(res.body.amountCents, 700);
    assert.equal(res.body.expiresAt, held.expiresAt);
    assert.deepEqual(res.body.payments, []);
  });

  test('shows a free event booking as CONFIRMED', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 5, priceCents: 0 });
    const held = await http().post<BookingResponse>('/bookings', { eventId: event.id, userId: newUser(), seatNumbers: [1] });
    assert.equal(held.status, 201, JSON.stringify(held.body));
    assert.equal(held.body.amountCents, 0);
    await eventually(
      async () => ((await http().get<BookingResponse>(`/bookings/${held.body.id}`)).body.status === 'CONFIRMED' ? true : undefined),
      15_000,
      'the free booking to be CONFIRMED',
    );
    assert.equal((await seatStatuses(event.id)).get(1), 'BOOKED');
  });

  test('returns 404 BOOKING_NOT_FOUND for an unknown booking', async () => {
    assertError(await http().get(`/bookings/${randomUUID()}`), 404, 'BOOKING_NOT_FOUND');
  });

  test('returns 404 BOOKING_NOT_FOUND for an id that is not a uuid', async () => {
    assertError(await http().get('/bookings/booking-1'), 404, 'BOOKING_NOT_FOUND');
  });
});
