import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import type { BookingResponse } from '../../api/presenters/booking';
import { releaseExpiredHolds } from '../../db/queries/holds';
import { statusQuery } from '../../domain/messages';
import { assertError } from '../api/assertions';
import { createEvent, holdSeats } from '../support/factories';
import { api, type JsonResponse } from '../support/http';
import { useTestStack } from '../support/stack';
import { bookingRow, paymentsOf, seatsOf } from '../workflows/dbState';
import { bookingHandle, newPaymentIntentId, payViaWebhook, sleepUntilPast, waitForBookingStatus } from '../workflows/driveBooking';

const MAX_EXTENSIONS = 2;
const MAX_TOTAL_SECONDS = 40;

describe('POST /bookings/:id/extend', () => {
  const stack = useTestStack({ env: { holdMaxExtensions: MAX_EXTENSIONS, holdMaxTotalSeconds: MAX_TOTAL_SECONDS } });

  const extend = (bookingId: string, body: unknown = {}) =>
    api(stack.baseUrl).post<BookingResponse>(`/bookings/${bookingId}/extend`, body);
  const plusSeconds = (iso: string | null, seconds: number) => new Date(Date.parse(iso ?? '') + seconds * 1000).toISOString();
  /** The database's expiry of the booking and of each of its seats, to the millisecond. */
  async function storedExpiry(booking: BookingResponse): Promise<{ booking: string; seats: string[] }> {
    const row = await stack.pool.query<{ expires_at: Date }>('SELECT expires_at FROM bookings WHERE id = $1', [booking.id]);
    const seats = (await seatsOf(stack.pool, booking.eventId)).filter((s) => s.bookingId === booking.id);
    return {
      booking: row.rows[0].expires_at.toISOString(),
      seats: seats.map((s) => `${s.holdExpiresAt?.slice(0, 23)}Z`),
    };
  }
  const ok = (res: JsonResponse<BookingResponse>) => {
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };

  test('answers 200 with the new expiry, moved in the workflow and in the database (booking and seats)', async () => {
    const event = await createEvent(stack.baseUrl, { holdSeconds: 30 });
    const booking = await holdSeats(stack.baseUrl, event.id, [1, 2]);

    const extended = ok(await extend(booking.id, { seconds: 5 }));

    const expected = plusSeconds(booking.expiresAt, 5);
    assert.equal(extended.status, 'HELD');
    assert.equal(extended.expiresAt, expected);
    assert.equal(extended.holdExtensions, 1);
    assert.deepEqual(await storedExpiry(booking), { booking: expected, seats: [expected, expected] });
    const state = await bookingHandle(stack, booking).query(statusQuery);
    assert.equal(state.expiresAt, expected);
    assert.equal(state.holdExtensions, 1);
    const shown = await api(stack.baseUrl).get<BookingResponse>(`/bookings/${booking.id}`);
    assert.equal(shown.body.expiresAt, expected);
    assert.equal(shown.body.holdExtensions, 1);
  });

  test("without seconds, adds the event's hold time", async () => {
    const event = await createEvent(stack.baseUrl, { holdSeconds: 7 });
    const booking = await holdSeats(stack.baseUrl, event.id, [1]);
    assert.equal(ok(await extend(booking.id)).expiresAt, plusSeconds(booking.expiresAt, 7));
  });

  test('the hold timer follows the extension: a payment after the first expiry confirms, and the hold lapses only at the new one', async () => {
    const event = await createEvent(stack.baseUrl, { priceCents: 500, holdSeconds: 2 });
    const paid = await holdSeats(stack.baseUrl, event.id, [3]);
    const unpaid = await holdSeats(stack.baseUrl, event.id, [4]);
    const paidUntil = ok(await extend(paid.id, { seconds: 6 })).expiresAt;
    const unpaidUntil = ok(await extend(unpaid.id, { seconds: 4 })).expiresAt;
    assert.ok(paidUntil && unpaidUntil);

    await sleepUntilPast(plusSeconds(unpaid.expiresAt, 0), 700);
    // Past the first expiry: both are still held, and the backstop leaves them alone.
    assert.equal((await bookingRow(stack.pool, paid.id))?.status, 'HELD');
    assert.equal((await bookingRow(stack.pool, unpaid.id))?.status, 'HELD');
    const released = await releaseExpiredHolds(stack.pool, 0);
    assert.ok(!released.includes(paid.id) && !released.includes(unpaid.id), 'the backstop released an extended hold');

    const paymentIntentId = newPaymentIntentId();
    await payViaWebhook(stack, { bookingId: paid.id, amountCents: 500, paymentIntentId });
    assert.equal((await bookingHandle(stack, paid).result()).status, 'CONFIRMED');
    assert.deepEqual(
      (await paymentsOf(stack.pool, paid.id)).map((p) => [p.paymentId, p.disposition]),
      [[paymentIntentId, 'APPLIED']],
    );

    const expired = await bookingHandle(stack, unpaid).result();
    assert.equal(expired.status, 'EXPIRED');
    const row = await waitForBookingStatus(stack, unpaid.id, 'EXPIRED');
    const releasedAt = Date.parse(`${row.updatedAt.slice(0, 23)}Z`);
    assert.ok(releasedAt >= Date.parse(unpaidUntil), `released at ${row.updatedAt}, before the extended expiry ${unpaidUntil}`);
  });

  test(`answers 409 EXTENSION_LIMIT after ${MAX_EXTENSIONS} extensions, and the expiry stays where it was`, async () => {
    const event = await createEvent(stack.baseUrl, { holdSeconds: 10 });
    const booking = await holdSeats(stack.baseUrl, event.id, [5]);
    ok(await extend(booking.id, { seconds: 1 }));
    const last = ok(await extend(booking.id, { seconds: 1 }));
    assert.equal(last.holdExtensions, MAX_EXTENSIONS);

    const refused = await extend(booking.id, { seconds: 1 });
    assertError(refused, 409, 'EXTENSION_LIMIT');
    assert.equal((refused.body as unknown as { details: { maxExtensions: number } }).details.maxExtensions, MAX_EXTENSIONS);
    assert.equal((await storedExpiry(booking)).booking, last.expiresAt);
    assert.equal((await bookingHandle(stack, booking).query(statusQuery)).expiresAt, last.expiresAt);
  });

  test(`answers 409 EXTENSION_LIMIT when the hold would last over ${MAX_TOTAL_SECONDS} s in all, and allows up to that`, async () => {
    const event = await createEvent(stack.baseUrl, { holdSeconds: 10 });
    const booking = await holdSeats(stack.baseUrl, event.id, [6]);

    assertError(await extend(booking.id, { seconds: MAX_TOTAL_SECONDS - 10 + 1 }), 409, 'EXTENSION_LIMIT');
    assert.equal((await storedExpiry(booking)).booking, booking.expiresAt);

    const longest = ok(await extend(booking.id, { seconds: MAX_TOTAL_SECONDS - 10 }));
    assert.equal(longest.expiresAt, plusSeconds(booking.expiresAt, MAX_TOTAL_SECONDS - 10));
    assertError(await extend(booking.id, { seconds: 1 }), 409, 'EXTENSION_LIMIT');
  });

  test('answers 410 HOLD_EXPIRED once the hold expired, also while its workflow has not acted on it yet', async () => {
    const event = await createEvent(stack.baseUrl, { holdSeconds: 2 });
    const lapsed = await holdSeats(stack.baseUrl, event.id, [7]);
    const closed = await holdSeats(stack.baseUrl, event.id, [8]);
    await stack.stopWorker();
    let pending: Promise<JsonResponse<BookingResponse>>;
    try {
      await sleepUntilPast(lapsed.expiresAt ?? '', 500);
      // Still HELD in the database: the workflow's validator refuses it when a worker takes it.
      pending = extend(lapsed.id, { seconds: 5 });
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      await stack.startWorker();
    }
    assertError(await pending, 410, 'HOLD_EXPIRED');
    await waitForBookingStatus(stack, lapsed.id, 'EXPIRED');

    await waitForBookingStatus(stack, closed.id, 'EXPIRED');
    assertError(await extend(closed.id), 410, 'HOLD_EXPIRED');
  });

  test('answers 409 BOOKING_CLOSED for a confirmed booking, 400 for bad seconds, 404 for an unknown booking', async () => {
    const event = await createEvent(stack.baseUrl, { holdSeconds: 30 });
    const booking = await holdSeats(stack.baseUrl, event.id, [9]);
    assertError(await extend(booking.id, { seconds: 0 }), 400, 'VALIDATION_FAILED');
    assertError(await extend(booking.id, { seconds: 1.5 }), 400, 'VALIDATION_FAILED');
    assertError(await extend(booking.id, { minutes: 1 }), 400, 'VALIDATION_FAILED');
    const confirmed = await api(stack.baseUrl).post(`/bookings/${booking.id}/confirm`, { paymentToken: 'tok_extend' });
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    assertError(await extend(booking.id), 409, 'BOOKING_CLOSED');
    assertError(await extend(randomUUID()), 404, 'BOOKING_NOT_FOUND');
  });
});
