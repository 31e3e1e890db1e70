import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import { createEvent, holdSeats } from '../support/factories';
import { useTestStack } from '../support/stack';
import { availableSeatCount, bookingRow, paymentsOf, seatsOf } from './dbState';
import { bookingHandle, newPaymentIntentId, payViaWebhook, sleepUntilPast } from './driveBooking';

describe('a worker stopped mid-hold', () => {
  const stack = useTestStack();

  test('a payment sent while no worker runs confirms the booking once a new worker starts', async () => {
    const event = await createEvent(stack.baseUrl, { priceCents: 900 });
    const booking = await holdSeats(stack.baseUrl, event.id, [1, 2]);
    const paymentIntentId = newPaymentIntentId();

    await stack.stopWorker();
    try {
      await payViaWebhook(stack, { bookingId: booking.id, amountCents: 1800, paymentIntentId });
      // Nobody is there to act on it yet.
      assert.equal((await bookingRow(stack.pool, booking.id))?.status, 'HELD');
      assert.equal((await bookingHandle(stack, booking).describe()).status.name, 'RUNNING');
    } finally {
      await stack.startWorker();
    }

    const result = await bookingHandle(stack, booking).result();
    assert.equal(result.status, 'CONFIRMED');
    assert.equal(result.appliedPaymentId, paymentIntentId);
    assert.equal((await bookingRow(stack.pool, booking.id))?.status, 'CONFIRMED');
    assert.deepEqual(
      (await seatsOf(stack.pool, event.id)).filter((s) => s.status === 'BOOKED').map((s) => s.seatNumber),
      [1, 2],
    );
    assert.deepEqual(
      (await paymentsOf(stack.pool, booking.id)).map((p) => [p.paymentId, p.disposition]),
      [[paymentIntentId, 'APPLIED']],
    );
  });

  test('a payment received before expiry is applied even when the worker returns only after the hold lapsed', async () => {
    const event = await createEvent(stack.baseUrl, { priceCents: 700, holdSeconds: 2 });
    const booking = await holdSeats(stack.baseUrl, event.id, [4]);
    const paymentIntentId = newPaymentIntentId();

    await stack.stopWorker();
    try {
      await payViaWebhook(stack, { bookingId: booking.id, amountCents: 700, paymentIntentId });
      assert.ok(booking.expiresAt);
      // The timer fires on the server while nothing acts on it; the payment came first.
      await sleepUntilPast(booking.expiresAt, 500);
    } finally {
      await stack.startWorker();
    }

    const result = await bookingHandle(stack, booking).result();
    assert.equal(result.status, 'CONFIRMED');
    assert.equal(result.appliedPaymentId, paymentIntentId);
    assert.deepEqual(
      (await paymentsOf(stack.pool, booking.id)).map((p) => [p.paymentId, p.disposition]),
      [[paymentIntentId, 'APPLIED']],
    );
  });

  test('a hold whose timer fired while no worker ran is released once a new worker starts', async () => {
    const event = await createEvent(stack.baseUrl, { holdSeconds: 2 });
    const booking = await holdSeats(stack.baseUrl, event.id, [3]);

    await stack.stopWorker();
    try {
      assert.ok(booking.expiresAt);
      await sleepUntilPast(booking.expiresAt, 500);
      assert.equal((await bookingRow(stack.pool, booking.id))?.status, 'HELD');
    } finally {
      await stack.startWorker();
    }

    assert.equal((await bookingHandle(stack, booking).result()).status, 'EXPIRED');
    assert.equal((await bookingRow(stack.pool, booking.id))?.status, 'EXPIRED');
    assert.equal(await availableSeatCount(stack.pool, event.id), event.totalSeats);
  });
});
