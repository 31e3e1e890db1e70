/**
 * The seed document's contract, POST /events/:id/book {userId, seatNumber}: with auth on the token's
 * user must be the userId named; with auth off (the development default) it works without a token.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import type { EventRecord, SeatView } from '../../domain/event';
import { assertError } from '../api/assertions';
import { useTestStack, type TestStack } from '../support/stack';
import { as, client, newUserId } from './authClient';

const secret = `seed-test-secret-${randomUUID()}`;
const authOn = useTestStack({ env: { authRequired: true, jwtSecret: secret } });
const authOff = useTestStack();

async function freeEvent(stack: TestStack, totalSeats = 5): Promise<EventRecord> {
  const staff = await as(stack.baseUrl, stack.env.jwtSecret, newUserId('staff'), 'staff');
  const res = await staff.post<EventRecord>('/events', { name: `Seed ${randomUUID().slice(0, 8)}`, totalSeats });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

async function seatStatus(stack: TestStack, eventId: string, seat: number): Promise<string | undefined> {
  const seats = (await client(stack.baseUrl).get<SeatView[]>(`/events/${eventId}/seats`)).body;
  return seats.find((s) => s.seatNumber === seat)?.status;
}

async function bookingsOf(stack: TestStack, eventId: string): Promise<{ user_id: string; status: string }[]> {
  const { rows } = await stack.pool.query<{ user_id: string; status: string }>(
    'SELECT user_id, status FROM bookings WHERE event_id = $1',
    [eventId],
  );
  return rows;
}

interface BookAnswer {
  success: boolean;
  bookingId: string;
  seatNumber: number;
  userId: string;
}

describe('POST /events/:id/book with AUTH_REQUIRED', () => {
  test('books the seat for the token’s user when the userId matches (201)', async () => {
    const event = await freeEvent(authOn);
    const userId = newUserId('alice');
    const res = await (await as(authOn.baseUrl, secret, userId)).post<BookAnswer>(`/events/${event.id}/book`, {
      userId,
      seatNumber: 3,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.success, true);
    assert.equal(res.body.userId, userId);
    assert.equal(res.body.seatNumber, 3);
    assert.equal(await seatStatus(authOn, event.id, 3), 'BOOKED');
    assert.deepEqual(await bookingsOf(authOn, event.id), [{ user_id: userId, status: 'CONFIRMED' }]);
  });

  test('refuses a userId that is not the token’s user with 403 FORBIDDEN, booking nothing', async () => {
    const event = await freeEvent(authOn);
    const res = await (await as(authOn.baseUrl, secret, newUserId('alice'))).post(`/events/${event.id}/book`, {
      userId: newUserId('someone-else'),
      seatNumber: 2,
    });
    assertError(res, 403, 'FORBIDDEN');
    assert.equal(await seatStatus(authOn, event.id, 2), 'AVAILABLE');
    assert.deepEqual(await bookingsOf(authOn, event.id), []);
  });

  test('answers 401 UNAUTHENTICATED without a token', async () => {
    const event = await freeEvent(authOn);
    assertError(
      await client(authOn.baseUrl).post(`/events/${event.id}/book`, { userId: newUserId(), seatNumber: 1 }),
      401,
      'UNAUTHENTICATED',
    );
    assert.equal(await seatStatus(authOn, event.id, 1), 'AVAILABLE');
  });
});

describe('POST /events/:id/book with auth off (the default)', () => {
  test('books the seat for the named user without a token, as before', async () => {
    assert.equal(authOff.env.authRequired, false);
    const event = await freeEvent(authOff);
    const userId = newUserId('guest');
    const res = await client(authOff.baseUrl).post<BookAnswer>(`/events/${event.id}/book`, { userId, seatNumber: 4 });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.userId, userId);
    assert.equal(await seatStatus(authOff, event.id, 4), 'BOOKED');
    assertError(
      await client(authOff.baseUrl).post(`/events/${event.id}/book`, { userId: newUserId(), seatNumber: 4 }),
      409,
      'SEAT_ALREADY_BOOKED',
    );
  });

  test('still requires the userId without a token (400 VALIDATION_FAILED)', async () => {
    const event = await freeEvent(authOff);
    assertError(await client(authOff.baseUrl).post(`/events/${event.id}/book`, { seatNumber: 1 }), 400, 'VALIDATION_FAILED');
  });

  test('a buyer token sent anyway still decides the user: another userId answers 403', async () => {
    const event = await freeEvent(authOff);
    const buyer = await as(authOff.baseUrl, authOff.env.jwtSecret, newUserId('alice'));
    assertError(await buyer.post(`/events/${event.id}/book`, { userId: newUserId('bob'), seatNumber: 5 }), 403, 'FORBIDDEN');
    assert.equal(await seatStatus(authOff, event.id, 5), 'AVAILABLE');
  });
});
