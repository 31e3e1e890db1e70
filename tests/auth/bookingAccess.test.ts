/**
 * With AUTH_REQUIRED on, a buyer acts as the token's user and sees only their own bookings: another
 * buyer's booking answers 404 as if it did not exist, whatever is tried on it. Staff read any booking.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import type { BookingResponse } from '../../api/presenters/booking';
import type { EventRecord, SeatView } from '../../domain/event';
import { assertError } from '../api/assertions';
import { useTestStack } from '../support/stack';
import { as, client, newUserId } from './authClient';

const secret = `access-test-secret-${randomUUID()}`;
const stack = useTestStack({ env: { authRequired: true, jwtSecret: secret } });

type Client = ReturnType<typeof client>;
const buyer = (userId = newUserId('buyer')) => as(stack.baseUrl, secret, userId, 'buyer');

async function newEvent(overrides: Record<string, unknown> = {}): Promise<EventRecord> {
  const staff = await as(stack.baseUrl, secret, newUserId('staff'), 'staff');
  const res = await staff.post<EventRecord>('/events', {
    name: `Access ${randomUUID().slice(0, 8)}`,
    totalSeats: 12,
    priceCents: 2000,
    ...overrides,
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

async function hold(who: Client, eventId: string, seatNumbers: number[]): Promise<BookingResponse> {
  const res = await who.post<BookingResponse>('/bookings', { eventId, seatNumbers });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

async function seatStatus(eventId: string, seat: number): Promise<string | undefined> {
  const seats = (await client(stack.baseUrl).get<SeatView[]>(`/events/${eventId}/seats`)).body;
  return seats.find((s) => s.seatNumber === seat)?.status;
}

async function dbBooking(id: string): Promise<{ status: string; payments: number }> {
  const { rows } = await stack.pool.query<{ status: string; payments: number }>(
    `SELECT status, (SELECT count(*) FROM payments p WHERE p.booking_id = b.id) AS payments FROM bookings b WHERE id = $1`,
    [id],
  );
  return rows[0];
}

describe('POST /bookings as a buyer', () => {
  test('without userId holds the seats for the token’s user', async () => {
    const event = await newEvent();
    const userId = newUserId('alice');
    const booking = await hold(await buyer(userId), event.id, [1, 2]);
    assert.equal(booking.userId, userId);
    assert.equal(booking.status, 'HELD');
    const { rows } = await stack.pool.query<{ user_id: string }>('SELECT user_id FROM bookings WHERE id = $1', [booking.id]);
    assert.equal(rows[0].user_id, userId);
  });

  test('with the token’s own userId answers 201', async () => {
    const event = await newEvent();
    const userId = newUserId('alice');
    const res = await (await buyer(userId)).post<BookingResponse>('/bookings', { eventId: event.id, userId, seatNumbers: [3] });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.userId, userId);
  });

  test('with another user’s userId answers 403 FORBIDDEN and holds nothing', async () => {
    const event = await newEvent();
    const res = await (await buyer()).post('/bookings', { eventId: event.id, userId: newUserId('victim'), seatNumbers: [4] });
    assertError(res, 403, 'FORBIDDEN');
    assert.equal(await seatStatus(event.id, 4), 'AVAILABLE');
    const { rows } = await stack.pool.query('SELECT 1 FROM bookings WHERE event_id = $1', [event.id]);
    assert.equal(rows.length, 0);
  });
});

describe('another buyer’s booking', () => {
  test('GET /bookings/:id answers 404 BOOKING_NOT_FOUND, the same as for a booking that does not exist', async () => {
    const event = await newEvent();
    const alice = await buyer();
    const booking = await hold(alice, event.id, [5]);
    const bob = await buyer();

    const foreign = assertError(await bob.get(`/bookings/${booking.id}`), 404, 'BOOKING_NOT_FOUND');
    const missingId = randomUUID();
    const missing = assertError(await bob.get(`/bookings/${missingId}`), 404, 'BOOKING_NOT_FOUND');
    assert.equal(foreign.message.replace(booking.id, '<id>'), missing.message.replace(missingId, '<id>'));
    assert.equal((await alice.get<BookingResponse>(`/bookings/${booking.id}`)).status, 200);
  });

  test('confirming, cancelling or simulating payment on it answers 404 and changes nothing', async () => {
    const event = await newEvent();
    const alice = await buyer();
    const booking = await hold(alice, event.id, [6, 7]);
    const bob = await buyer();

    assertError(await bob.post(`/bookings/${booking.id}/confirm`, { paymentToken: 'tok_visa' }), 404, 'BOOKING_NOT_FOUND');
    assertError(await bob.post(`/bookings/${booking.id}/cancel`), 404, 'BOOKING_NOT_FOUND');
    assertError(await bob.post('/simulator/payments', { bookingId: booking.id, outcome: 'succeeded' }), 404, 'BOOKING_NOT_FOUND');

    assert.deepEqual(await dbBooking(booking.id), { status: 'HELD', payments: 0 });
    assert.equal(await seatStatus(event.id, 6), 'HELD');
    // Its owner still can; had a payment been delivered, it would have reached the workflow first and confirmed it.
    const cancelled = await alice.post<BookingResponse>(`/bookings/${booking.id}/cancel`);
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    assert.equal(cancelled.body.status, 'CANCELLED');
  });

  test('extending its hold, asking for its payment intent or reading its tickets answers 404 and changes nothing', async () => {
    const event = await newEvent();
    const alice = await buyer();
    const booking = await hold(alice, event.id, [9]);
    const bob = await buyer();
    const expiresAt = (await alice.get<BookingResponse>(`/bookings/${booking.id}`)).body.expiresAt;

    assertError(await bob.post(`/bookings/${booking.id}/extend`, { seconds: 60 }), 404, 'BOOKING_NOT_FOUND');
    assertError(await bob.post(`/bookings/${booking.id}/payment-intent`), 404, 'BOOKING_NOT_FOUND');
    assertError(await bob.get(`/bookings/${booking.id}/tickets`), 404, 'BOOKING_NOT_FOUND');

    const after = await alice.get<BookingResponse>(`/bookings/${booking.id}`);
    assert.equal(after.body.expiresAt, expiresAt);
    assert.equal(after.body.holdExtensions, 0);
    // Its owner can do both.
    assert.equal((await alice.post(`/bookings/${booking.id}/extend`, { seconds: 60 })).status, 200);
    assert.equal((await alice.post(`/bookings/${booking.id}/payment-intent`)).status, 200);
  });

  test('staff and admin read any buyer’s booking', async () => {
    const event = await newEvent();
    const userId = newUserId('alice');
    const booking = await hold(await buyer(userId), event.id, [8]);
    for (const role of ['staff', 'admin'] as const) {
      const res = await (await as(stack.baseUrl, secret, newUserId(role), role)).get<BookingResponse>(`/bookings/${booking.id}`);
      assert.equal(res.status, 200, `${role}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.userId, userId);
      assert.equal(res.body.status, 'HELD');
    }
  });
});

describe('GET /users/me/bookings', () => {
  interface BookingPage {
    bookings: BookingResponse[];
    page: number;
    pageSize: number;
    total: number;
  }

  test('lists exactly the caller’s bookings, newest first, over every event', async () => {
    const [first, second] = [await newEvent(), await newEvent()];
    const alice = await buyer();
    const bob = await buyer();
    const made: string[] = [];
    made.push((await hold(alice, first.id, [1])).id);
    await hold(bob, first.id, [2]);
    made.push((await hold(alice, second.id, [1, 2])).id);
    made.push((await hold(alice, first.id, [3])).id);
    await hold(bob, second.id, [3]);
    // A refused hold is part of the history too.
    const refused = await alice.post('/bookings', { eventId: first.id, seatNumbers: [2] });
    assertError(refused, 409, 'SEAT_UNAVAILABLE');

    const res = await alice.get<BookingPage>('/users/me/bookings');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.total, 4);
    assert.equal(res.body.page, 1);
    assert.equal(res.body.pageSize, 20);
    const listed = res.body.bookings;
    assert.deepEqual(listed.slice(1).map((b) => b.id), [...made].reverse());
    assert.equal(listed[0].status, 'REJECTED');
    assert.deepEqual(listed[0].seatNumbers, [2]);
    assert.ok(listed.every((b) => b.userId === listed[0].userId), 'another user’s booking is listed');
    for (let i = 1; i < listed.length; i++) {
      assert.ok(Date.parse(listed[i - 1].createdAt ?? '') >= Date.parse(listed[i].createdAt ?? ''), 'not newest first');
    }
  });

  test('pages through the history with page and pageSize', async () => {
    const event = await newEvent({ totalSeats: 20 });
    const alice = await buyer();
    const made: string[] = [];
    for (const seat of [1, 2, 3, 4, 5]) made.push((await hold(alice, event.id, [seat])).id);
    const newestFirst = [...made].reverse();

    const pages: string[][] = [];
    for (const page of [1, 2, 3]) {
      const res = await alice.get<BookingPage>(`/users/me/bookings?page=${page}&pageSize=2`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.total, 5);
      assert.equal(res.body.page, page);
      assert.equal(res.body.pageSize, 2);
      pages.push(res.body.bookings.map((b) => b.id));
    }
    assert.deepEqual(pages, [newestFirst.slice(0, 2), newestFirst.slice(2, 4), newestFirst.slice(4)]);
    const beyond = await alice.get<BookingPage>('/users/me/bookings?page=4&pageSize=2');
    assert.deepEqual(beyond.body.bookings, []);
    assert.equal(beyond.body.total, 5);
  });

  test('a buyer with no bookings gets an empty list; bad paging answers 400 VALIDATION_FAILED', async () => {
    const nobody = await buyer();
    const res = await nobody.get<BookingPage>('/users/me/bookings');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.bookings, []);
    assert.equal(res.body.total, 0);
    assertError(await nobody.get('/users/me/bookings?pageSize=0'), 400, 'VALIDATION_FAILED');
    assertError(await nobody.get('/users/me/bookings?page=abc'), 400, 'VALIDATION_FAILED');
  });
});
