/**
 * The per-event limit of seats per buyer (maxSeatsPerBuyer): it counts every live (HELD or CONFIRMED)
 * booking of the buyer for the event, holds under concurrent requests, and a refused hold answers
 * the same when it is retried.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import type { BookingResponse } from '../../api/presenters/booking';
import type { EventRecord } from '../../domain/event';
import { holdSeats as holdSeatsQuery } from '../../db/queries/holds';
import { assertError, type ErrorBody } from '../api/assertions';
import { createEvent } from '../support/factories';
import { api, type JsonResponse } from '../support/http';
import { useTestStack } from '../support/stack';

const stack = useTestStack();

const http = () => api(stack.baseUrl);
const newUser = () => `buyer-${randomUUID().slice(0, 8)}`;

const hold = (eventId: string, userId: string, seatNumbers: number[], idempotencyKey?: string) =>
  http().post<BookingResponse | ErrorBody>(
    '/bookings',
    { eventId, userId, seatNumbers },
    idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : undefined,
  );

function held(res: JsonResponse<BookingResponse | ErrorBody>): BookingResponse {
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as BookingResponse;
}

/** Seats of the buyer's HELD and CONFIRMED bookings for the event, from the database. */
async function liveSeatsOf(eventId: string, userId: string): Promise<number> {
  const { rows } = await stack.pool.query<{ seats: number }>(
    `SELECT coalesce(sum(cardinality(seat_numbers)), 0) AS seats FROM bookings
      WHERE event_id = $1 AND user_id = $2 AND status IN ('HELD', 'CONFIRMED')`,
    [eventId, userId],
  );
  return rows[0].seats;
}

async function seatsTaken(eventId: string): Promise<number> {
  const { rows } = await stack.pool.query<{ taken: number }>(
    `SELECT count(*) AS taken FROM seats WHERE event_id = $1 AND status <> 'AVAILABLE'`,
    [eventId],
  );
  return rows[0].taken;
}

describe('POST /events: maxSeatsPerBuyer', () => {
  test('is null (no limit) by default and kept when given', async () => {
    assert.equal((await createEvent(stack.baseUrl)).maxSeatsPerBuyer, null);
    const limited = await createEvent(stack.baseUrl, { maxSeatsPerBuyer: 4 });
    assert.equal(limited.maxSeatsPerBuyer, 4);
    assert.equal((await http().get<EventRecord>(`/events/${limited.id}`)).body.maxSeatsPerBuyer, 4);
  });

  test('answers 400 VALIDATION_FAILED for a limit below 1 or not an integer', async () => {
    for (const maxSeatsPerBuyer of [0, -2, 1.5, '3']) {
      assertError(await http().post('/events', { name: 'Bad limit', totalSeats: 5, maxSeatsPerBuyer }), 400, 'VALIDATION_FAILED');
    }
  });
});

describe('POST /bookings: the per-buyer limit', () => {
  test('a buyer racing 10 concurrent holds of 1–2 seats against a limit of 4 ends with at most 4 seats; the rest get 409 BUYER_LIMIT_EXCEEDED', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 40, priceCents: 1000, maxSeatsPerBuyer: 4 });
    const userId = newUser();
    const requests = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? [2 * i + 1] : [2 * i + 1, 2 * i + 2]));
    const answers = await Promise.all(requests.map((seats) => hold(event.id, userId, seats)));

    const granted = answers.flatMap((res, i) => (res.status === 201 ? [requests[i]] : []));
    const refused = answers.flatMap((res, i) => (res.status === 201 ? [] : [{ res, seats: requests[i] }]));
    for (const { res } of refused) {
      const err = assertError(res, 409, 'BUYER_LIMIT_EXCEEDED');
      assert.match(err.message, /At most 4 seats per buyer/);
    }
    const grantedSeats = granted.reduce((sum, seats) => sum + seats.length, 0);
    const live = await liveSeatsOf(event.id, userId);
    assert.ok(live <= 4, `the buyer holds ${live} seats, over the limit of 4`);
    assert.equal(live, grantedSeats, 'the seats answered 201 are not the seats held in the database');
    assert.equal(await seatsTaken(event.id), live);
    assert.ok(granted.length > 0, 'no hold was granted');
    // Holds only added up here, so each refusal was right: it would have gone over the final count.
    for (const { seats } of refused) {
      assert.ok(live + seats.length > 4, `a hold of ${seats.length} was refused while the buyer had only ${live} seats`);
    }
    const { rows } = await stack.pool.query<{ reason: string | null; count: number }>(
      `SELECT rejection_reason AS reason, count(*) AS count FROM bookings
        WHERE event_id = $1 AND status = 'REJECTED' GROUP BY rejection_reason`,
      [event.id],
    );
    assert.deepEqual(rows, refused.length > 0 ? [{ reason: 'BUYER_LIMIT_EXCEEDED', count: refused.length }] : []);
  });

  test('counts the buyer’s earlier bookings: 3 of 4 held leaves room for 1 seat, not 2', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 20, maxSeatsPerBuyer: 4 });
    const userId = newUser();
    held(await hold(event.id, userId, [1, 2]));
    held(await hold(event.id, userId, [3]));
    const err = assertError(await hold(event.id, userId, [4, 5]), 409, 'BUYER_LIMIT_EXCEEDED');
    assert.deepEqual(err.details, { limit: 4, requested: 2 });
    assert.equal((await http().get<EventRecord>(`/events/${event.id}`)).body.availableSeats, 17);
    held(await hold(event.id, userId, [4]));
    assertError(await hold(event.id, userId, [6]), 409, 'BUYER_LIMIT_EXCEEDED');
    assert.equal(await liveSeatsOf(event.id, userId), 4);
  });

  test('a single hold larger than the limit is refused', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 20, maxSeatsPerBuyer: 2 });
    assertError(await hold(event.id, newUser(), [1, 2, 3]), 409, 'BUYER_LIMIT_EXCEEDED');
    assert.equal(await seatsTaken(event.id), 0);
  });

  test('different buyers are not limited by each other, even racing', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 30, maxSeatsPerBuyer: 2 });
    const buyers = Array.from({ length: 6 }, newUser);
    const answers = await Promise.all(buyers.map((userId, i) => hold(event.id, userId, [2 * i + 1, 2 * i + 2])));
    answers.forEach(held);
    for (const userId of buyers) assert.equal(await liveSeatsOf(event.id, userId), 2);
    assertError(await hold(event.id, buyers[0], [20]), 409, 'BUYER_LIMIT_EXCEEDED');
    held(await hold(event.id, newUser(), [20]));
  });

  test('released seats stop counting: after a cancel the buyer may hold again', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 10, priceCents: 500, maxSeatsPerBuyer: 2 });
    const userId = newUser();
    const first = held(await hold(event.id, userId, [1, 2]));
    assertError(await hold(event.id, userId, [3]), 409, 'BUYER_LIMIT_EXCEEDED');
    const cancelled = await http().post<BookingResponse>(`/bookings/${first.id}/cancel`);
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    assert.equal(held(await hold(event.id, userId, [3, 4])).status, 'HELD');
  });

  test('confirmed bookings count: the seed contract’s book-at-once is refused past the limit', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 10, priceCents: 0, maxSeatsPerBuyer: 1 });
    const userId = newUser();
    const booked = await http().post(`/events/${event.id}/book`, { userId, seatNumber: 1 });
    assert.equal(booked.status, 201, JSON.stringify(booked.body));
    assertError(await http().post(`/events/${event.id}/book`, { userId, seatNumber: 2 }), 409, 'BUYER_LIMIT_EXCEEDED');
    assert.equal((await http().post(`/events/${event.id}/book`, { userId: newUser(), seatNumber: 2 })).status, 201);
  });
});

describe('POST /bookings: retrying a hold refused for the buyer limit', () => {
  test('an idempotent retry answers the same 409, even after the buyer’s seats were released', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 10, priceCents: 500, maxSeatsPerBuyer: 2 });
    const userId = newUser();
    const first = held(await hold(event.id, userId, [1, 2]));
    const key = `limit-${randomUUID()}`;
    const refused = await hold(event.id, userId, [5], key);
    const refusal = assertError(refused, 409, 'BUYER_LIMIT_EXCEEDED');

    const retried = await hold(event.id, userId, [5], key);
    assert.equal(retried.status, 409);
    assert.deepEqual(retried.body, refusal);

    // Room now, but the request with that key was already answered: it answers the same.
    assert.equal((await http().post<BookingResponse>(`/bookings/${first.id}/cancel`)).status, 200);
    const later = await hold(event.id, userId, [5], key);
    assert.equal(later.status, 409);
    assert.deepEqual(later.body, refusal);
    const { rows } = await stack.pool.query<{ status: string; rejection_reason: string }>(
      'SELECT status, rejection_reason FROM bookings WHERE idempotency_key = $1',
      [key],
    );
    assert.deepEqual(rows, [{ status: 'REJECTED', rejection_reason: 'BUYER_LIMIT_EXCEEDED' }]);
    // A new request (no key) is held.
    held(await hold(event.id, userId, [5]));
  });

  test('a retried hold (same booking id, as a retried activity) gets the first answer and holds nothing', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 10, maxSeatsPerBuyer: 1 });
    const userId = newUser();
    const expiresAt = new Date(Date.now() + 60_000).toISOString();
    const request = (bookingId: string, seatNumbers: number[]) => ({
      bookingId,
      eventId: event.id,
      userId,
      seatNumbers,
      expiresAt,
      idempotencyKey: null,
    });
    const firstId = randomUUID();
    assert.equal((await holdSeatsQuery(stack.pool, request(firstId, [1]))).kind, 'held');
    const refusedId = randomUUID();
    const refused = await holdSeatsQuery(stack.pool, request(refusedId, [2]));
    assert.deepEqual(refused, { kind: 'limit', limit: 1, requested: 1 });
    await stack.pool.query(`UPDATE bookings SET status = 'CANCELLED' WHERE id = $1`, [firstId]);
    await stack.pool.query(`UPDATE seats SET status = 'AVAILABLE', booking_id = NULL, hold_expires_at = NULL WHERE booking_id = $1`, [firstId]);
    assert.deepEqual(await holdSeatsQuery(stack.pool, request(refusedId, [2])), refused);
    assert.equal(await seatsTaken(event.id), 0);
  });
});
