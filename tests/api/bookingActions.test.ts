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

async function seatStatuses(eventId: string, seatNumbers: number[]): Promise<string[]> {
  const seats = (await http().get<SeatView[]>(`/events/${eventId}/seats`)).body;
  return seatNumbers.map((n) => seats.find((s) => s.seatNumber === n)?.status ?? 'MISSING');
}

async function waitForStatus(bookingId: string, status: string): Promise<void> {
  await eventually(
    async () => ((await http().get<BookingResponse>(`/bookings/${bookingId}`)).body.status === status ? true : undefined),
    30_000,
    `booking ${bookingId} to be ${status}`,
  );
}

async function paymentRows(bookingId: string): Promise<{ payment_id: string; disposition: string }[]> {
  const { rows } = await stack.pool.query<{ payment_id: string; disposition: string }>(
    'SELECT payment_id, disposition FROM payments WHERE booking_id = $1',
    [bookingId],
  );
  return rows;
}

describe('POST /bookings/:id/confirm', () => {
  test('returns 200 CONFIRMED, books the seats and applies one payment', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 6, priceCents: 900 });
    const hold = await holdSeats(stack.baseUrl, event.id, [1, 2]);
    const res = await http().post<BookingResponse>(`/bookings/${hold.id}/confirm`, { paymentToken: 'tok_visa' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.id, hold.id);
    assert.equal(res.body.status, 'CONFIRMED');
    assert.deepEqual(await seatStatuses(event.id, [1, 2]), ['BOOKED', 'BOOKED']);
    assert.equal((await http().get<EventRecord>(`/events/${event.id}`)).body.availableSeats, 4);
    assert.deepEqual(await paymentRows(hold.id), [{ payment_id: `token:${hold.id}:tok_visa`, disposition: 'APPLIED' }]);
    assert.equal((await http().get<BookingResponse>(`/bookings/${hold.id}`)).body.status, 'CONFIRMED');
  });

  test('two bookings confirmed with the same payment token each record their own applied payment', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 6, priceCents: 900 });
    const first = await holdSeats(stack.baseUrl, event.id, [1]);
    const second = await holdSeats(stack.baseUrl, event.id, [2]);
    for (const hold of [first, second]) {
      const res = await http().post<BookingResponse>(`/bookings/${hold.id}/confirm`, { paymentToken: 'tok_shared' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    assert.deepEqual(await paymentRows(first.id), [{ payment_id: `token:${first.id}:tok_shared`, disposition: 'APPLIED' }]);
    assert.deepEqual(await paymentRows(second.id), [{ payment_id: `token:${second.id}:tok_shared`, disposition: 'APPLIED' }]);
  });

  test('returns 200 CONFIRMED again when the confirm is repeated, with no second payment', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 6, priceCents: 900 });
    const hold = await holdSeats(stack.baseUrl, event.id, [3]);
    const first = await http().post<BookingResponse>(`/bookings/${hold.id}/confirm`, { paymentToken: 'tok_once' });
    const again = await http().post<BookingResponse>(`/bookings/${hold.id}/confirm`, { paymentToken: 'tok_once' });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal(again.body.status, 'CONFIRMED');
    assert.equal(again.body.id, hold.id);
    assert.equal((await paymentRows(hold.id)).filter((p) => p.disposition === 'APPLIED').length, 1);
  });

  test('returns 410 HOLD_EXPIRED once the hold has lapsed, and the seats stay available', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 4, priceCents: 500, holdSeconds: 1 });
    const hold = await holdSeats(stack.baseUrl, event.id, [4]);
    await waitForStatus(hold.id, 'EXPIRED');
    assertError(
      await http().post(`/bookings/${hold.id}/confirm`, { paymentToken: 'tok_late' }),
      410,
      'HOLD_EXPIRED',
    );
    assert.equal((await http().get<BookingResponse>(`/bookings/${hold.id}`)).body.status, 'EXPIRED');
    assert.deepEqual(await seatStatuses(event.id, [4]), ['AVAILABLE']);
    assert.equal((await paymentRows(hold.id)).filter((p) => p.disposition === 'APPLIED').length, 0);
  });

  test('returns 409 BOOKING_CLOSED for a cancelled booking', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 4, priceCents: 500 });
    const hold = await holdSeats(stack.baseUrl, event.id, [1]);
    const cancelled = await http().post(`/bookings/${hold.id}/cancel`);
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    assertError(await http().post(`/bookings/${hold.id}/confirm`, { paymentToken: 'tok_x' }), 409, 'BOOKING_CLOSED');
    assert.deepEqual(await seatStatuses(event.id, [1]), ['AVAILABLE']);
  });

  const badBodies: [string, unknown][] = [
    ['paymentToken is missing', {}],
    ['paymentToken is empty', { paymentToken: '' }],
    ['paymentToken is not a string', { paymentToken: 1234 }],
    ['paymentToken is longer than 200 characters', { paymentToken: 't'.repeat(201) }],
    ['an unknown field is sent', { paymentToken: 'tok', amount: 1 }],
  ];
  for (const [why, body] of badBodies) {
    test(`returns 400 VALIDATION_FAILED when ${why}, and the booking stays HELD`, async () => {
      const event = await createEvent(stack.baseUrl, { totalSeats: 4, priceCents: 500 });
      const hold = await holdSeats(stack.baseUrl, event.id, [2]);
      assertError(await http().post(`/bookings/${hold.id}/confirm`, body), 400, 'VALIDATION_FAILED');
      assert.equal((await http().get<BookingResponse>(`/bookings/${hold.id}`)).body.status, 'HELD');
    });
  }

  test('returns 400 VALIDATION_FAILED when no body is sent', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 4, priceCents: 500 });
    const hold = await holdSeats(stack.baseUrl, event.id, [3]);
    assertError(await http().post(`/bookings/${hold.id}/confirm`), 400, 'VALIDATION_FAILED');
  });

  test('returns 404 BOOKING_NOT_FOUND for an unknown booking', async () => {
    assertError(
      await http().post(`/bookings/${randomUUID()}/confirm`, { paymentToken: 'tok' }),
      404,
      'BOOKING_NOT_FOUND',
    );
    assertError(await http().post('/bookings/nope/confirm', { paymentToken: 'tok' }), 404, 'BOOKING_NOT_FOUND');
  });
});

describe('POST /bookings/:id/cancel', () => {
  test('returns 200 CANCELLED and makes the seats available again', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 5, priceCents: 300 });
    const hold = await holdSeats(stack.baseUrl, event.id, [2, 3]);
    assert.deepEqual(await seatStatuses(event.id, [2, 3]), ['HELD', 'HELD']);
    const res = await http().post<BookingResponse>(`/bookings/${hold.id}/cancel`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status, 'CANCELLED');
    assert.deepEqual(await seatStatuses(event.id, [2, 3]), ['AVAILABLE', 'AVAILABLE']);
    assert.equal((await http().get<EventRecord>(`/events/${event.id}`)).body.availableSeats, 5);
    assert.equal((await http().get<BookingResponse>(`/bookings/${hold.id}`)).body.status, 'CANCELLED');
  });

  test('lets another buyer hold the released seats', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 5, priceCents: 300 });
    const hold = await holdSeats(stack.baseUrl, event.id, [5]);
    assert.equal((await http().post(`/bookings/${hold.id}/cancel`)).status, 200);
    const next = await holdSeats(stack.baseUrl, event.id, [5]);
    assert.equal(next.status, 'HELD');
  });

  test('returns 200 CANCELLED again when the cancel is repeated', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 5, priceCents: 300 });
    const hold = await holdSeats(stack.baseUrl, event.id, [1]);
    assert.equal((await http().post(`/bookings/${hold.id}/cancel`)).status, 200);
    const again = await http().post<BookingResponse>(`/bookings/${hold.id}/cancel`);
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal(again.body.status, 'CANCELLED');
  });

  // Cancelling a confirmed booking in time is the cancellation saga's (tests/payments/cancellation.test.ts).
  test('returns 409 CANCELLATION_CLOSED for a confirmed booking past its event\'s cutoff, whose seats stay booked', async () => {
    const startsAt = new Date(Date.now() + 3_600_000).toISOString();
    const event = await createEvent(stack.baseUrl, { totalSeats: 5, priceCents: 300, startsAt, cancellationCutoffHours: 24 });
    const hold = await holdSeats(stack.baseUrl, event.id, [4]);
    const confirmed = await http().post(`/bookings/${hold.id}/confirm`, { paymentToken: 'tok_paid' });
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    assertError(await http().post(`/bookings/${hold.id}/cancel`), 409, 'CANCELLATION_CLOSED');
    assert.deepEqual(await seatStatuses(event.id, [4]), ['BOOKED']);
    assert.equal((await http().get<BookingResponse>(`/bookings/${hold.id}`)).body.status, 'CONFIRMED');
  });

  test('returns 409 NOT_CANCELLABLE for an expired booking', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 5, priceCents: 300, holdSeconds: 1 });
    const hold = await holdSeats(stack.baseUrl, event.id, [2]);
    await waitForStatus(hold.id, 'EXPIRED');
    assertError(await http().post(`/bookings/${hold.id}/cancel`), 409, 'NOT_CANCELLABLE');
  });

  test('returns 404 BOOKING_NOT_FOUND for an unknown booking', async () => {
    assertError(await http().post(`/bookings/${randomUUID()}/cancel`), 404, 'BOOKING_NOT_FOUND');
    assertError(await http().post('/bookings/123/cancel'), 404, 'BOOKING_NOT_FOUND');
  });
});
