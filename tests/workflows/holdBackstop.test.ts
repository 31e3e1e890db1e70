import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import { releaseExpiredHolds } from '../../db/queries/holds';
import { createEvent, holdSeats } from '../support/factories';
import { useTestStack } from '../support/stack';
import { availableSeatCount, bookingRow, paymentsOf, seatsOf } from './dbState';
import { bookingHandle, newPaymentIntentId, payViaWebhook, sleepUntilPast } from './driveBooking';
import { simulatedRefundsOf, waitForRefund } from '../payments/paymentState';

describe('the database backstop for holds', () => {
  const stack = useTestStack();

  const seatsOfBooking = async (eventId: string, seatNumbers: number[]) =>
    (await seatsOf(stack.pool, eventId))
      .filter((s) => seatNumbers.includes(s.seatNumber))
      .map((s) => [s.seatNumber, s.status, s.bookingId]);

  test('leaves the hold of a terminated workflow alone before its expiry', async () => {
    const event = await createEvent(stack.baseUrl, { holdSeconds: 60 });
    const booking = await holdSeats(stack.baseUrl, event.id, [1]);
    await bookingHandle(stack, booking).terminate('operator test: terminated mid-hold');

    const released = await releaseExpiredHolds(stack.pool, 0);
    assert.ok(!released.includes(booking.id), 'a hold before its expiry was released');
    assert.equal((await bookingRow(stack.pool, booking.id))?.status, 'HELD');
    assert.deepEqual(await seatsOfBooking(event.id, [1]), [[1, 'HELD', booking.id]]);
  });

  test('releases the hold of a terminated workflow once past its expiry plus grace, once', async () => {
    const event = await createEvent(stack.baseUrl, { priceCents: 500, holdSeconds: 2 });
    const booking = await holdSeats(stack.baseUrl, event.id, [2, 3]);
    await bookingHandle(stack, booking).terminate('operator test: terminated mid-hold');
    assert.ok(booking.expiresAt);
    await sleepUntilPast(booking.expiresAt);

    // Past the expiry but within the grace period: still the workflow's business.
    assert.ok(!(await releaseExpiredHolds(stack.pool, 3600)).includes(booking.id));
    assert.equal((await bookingRow(stack.pool, booking.id))?.status, 'HELD');

    assert.ok((await releaseExpiredHolds(stack.pool, 0)).includes(booking.id));
    assert.equal((await bookingRow(stack.pool, booking.id))?.status, 'EXPIRED');
    assert.deepEqual(await seatsOfBooking(event.id, [2, 3]), [
      [2, 'AVAILABLE', null],
      [3, 'AVAILABLE', null],
    ]);
    assert.equal(await availableSeatCount(stack.pool, event.id), event.totalSeats);
    assert.ok(!(await releaseExpiredHolds(stack.pool, 0)).includes(booking.id), 'a released hold was released again');

    // Money for it now has no workflow to go to: it is owed back, and refunded.
    const paymentIntentId = newPaymentIntentId();
    await payViaWebhook(stack, { bookingId: booking.id, amountCents: 1000, paymentIntentId });
    assert.deepEqual(
      (await paymentsOf(stack.pool, booking.id)).map((p) => [p.paymentId, p.disposition]),
      [[paymentIntentId, 'OWED_BACK']],
    );
    await waitForRefund(stack.pool, paymentIntentId, 'SUCCEEDED');
    assert.equal((await simulatedRefundsOf(stack.pool, paymentIntentId)).length, 1);
  });

  test('a payment for a hold the backstop already released, while its workflow still waits, is owed back and refunded', async () => {
    const event = await createEvent(stack.baseUrl, { priceCents: 500, holdSeconds: 300 });
    const booking = await holdSeats(stack.baseUrl, event.id, [4]);
    // The database's clock says the hold lapsed while the workflow's timer has not fired yet
    // (clock skew, or an operator's release): the backstop wins the race.
    await stack.pool.query(`UPDATE bookings SET expires_at = now() - interval '1 second' WHERE id = $1`, [booking.id]);
    assert.ok((await releaseExpiredHolds(stack.pool, 0)).includes(booking.id));

    const paymentIntentId = newPaymentIntentId();
    await payViaWebhook(stack, { bookingId: booking.id, amountCents: 500, paymentIntentId });

    const result = await bookingHandle(stack, booking).result();
    assert.equal(result.status, 'EXPIRED');
    assert.deepEqual(result.owedBackPaymentIds, [paymentIntentId]);
    assert.deepEqual(result.refunds.map((r) => [r.paymentId, r.amountCents, r.status]), [[paymentIntentId, 500, 'SUCCEEDED']]);
    assert.equal((await bookingRow(stack.pool, booking.id))?.status, 'EXPIRED');
    assert.deepEqual(await seatsOfBooking(event.id, [4]), [[4, 'AVAILABLE', null]]);
    assert.deepEqual(
      (await paymentsOf(stack.pool, booking.id)).map((p) => [p.paymentId, p.disposition]),
      [[paymentIntentId, 'OWED_BACK']],
    );
  });
});
