import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import { api, type JsonResponse } from '../support/http';
import { createEvent, holdSeats } from '../support/factories';
import { useTestStack } from '../support/stack';
import { availableSeatCount, bookingRow, paymentsOf, seatsOf } from './dbState';
import { bookingHandle, newPaymentIntentId, payViaWebhook, paymentSummary, sleepUntilPast, waitForBookingStatus } from './driveBooking';
import { simulatedRefundsOf, waitForRefund } from '../payments/paymentState';

describe('payments that cannot buy the booking', () => {
  const stack = useTestStack();

  /** Refunded once, in full, for having bought nothing. */
  async function assertRefundedOnce(paymentId: string, amountCents: number): Promise<void> {
    const refund = await waitForRefund(stack.pool, paymentId, 'SUCCEEDED');
    assert.equal(refund.reason, 'UNAPPLIED');
    assert.deepEqual(await simulatedRefundsOf(stack.pool, paymentId), [{ refundId: refund.refundId, paymentId, amountCents }]);
  }

  test('a payment webhook after the workflow closed the expired hold leaves it EXPIRED, owes the money back and refunds it', async () => {
    const event = await createEvent(stack.baseUrl, { priceCents: 2000, holdSeconds: 1 });
    const booking = await holdSeats(stack.baseUrl, event.id, [1]);
    assert.equal((await bookingHandle(stack, booking).result()).status, 'EXPIRED');

    const paymentIntentId = newPaymentIntentId();
    await payViaWebhook(stack, { bookingId: booking.id, amountCents: 2000, paymentIntentId });

    await waitForBookingStatus(stack, booking.id, 'EXPIRED');
    assert.deepEqual(await paymentSummary(stack, booking.id), [[paymentIntentId, 2000, 'OWED_BACK']]);
    await assertRefundedOnce(paymentIntentId, 2000);
    assert.deepEqual(
      (await seatsOf(stack.pool, event.id)).filter((s) => s.seatNumber === 1).map((s) => [s.status, s.bookingId]),
      [['AVAILABLE', null]],
    );
    assert.equal(await availableSeatCount(stack.pool, event.id), event.totalSeats);
  });

  test('a payment signalled after the hold lapsed, while the workflow still runs, is owed back, refunded and never confirms', async () => {
    const event = await createEvent(stack.baseUrl, { priceCents: 2000, holdSeconds: 2 });
    const booking = await holdSeats(stack.baseUrl, event.id, [2]);
    // With no worker the timer fires on the server but nothing acts on it: the workflow stays open.
    const paymentIntentId = newPaymentIntentId();
    await stack.stopWorker();
    try {
      assert.ok(booking.expiresAt);
      await sleepUntilPast(booking.expiresAt, 500);
      await payViaWebhook(stack, { bookingId: booking.id, amountCents: 2000, paymentIntentId });
      assert.equal((await bookingHandle(stack, booking).describe()).status.name, 'RUNNING');
    } finally {
      await stack.startWorker();
    }

    const result = await bookingHandle(stack, booking).result();
    assert.equal(result.status, 'EXPIRED');
    assert.equal(result.appliedPaymentId, null);
    assert.deepEqual(result.owedBackPaymentIds, [paymentIntentId]);
    assert.deepEqual(result.refunds.map((r) => [r.paymentId, r.status]), [[paymentIntentId, 'SUCCEEDED']]);
    assert.equal((await bookingRow(stack.pool, booking.id))?.status, 'EXPIRED');
    assert.deepEqual(await paymentSummary(stack, booking.id), [[paymentIntentId, 2000, 'OWED_BACK']]);
    await assertRefundedOnce(paymentIntentId, 2000);
    assert.equal(await availableSeatCount(stack.pool, event.id), event.totalSeats);
  });

  test('a confirm sent after the hold lapsed, while the workflow still runs, answers 410 HOLD_EXPIRED', async () => {
    const event = await createEvent(stack.baseUrl, { priceCents: 2000, holdSeconds: 2 });
    const booking = await holdSeats(stack.baseUrl, event.id, [5]);
    const paymentToken = `tok_${randomUUID()}`;
    await stack.stopWorker();
    let confirming: Promise<JsonResponse>;
    try {
      assert.ok(booking.expiresAt);
      await sleepUntilPast(booking.expiresAt, 500);
      // The update waits for a worker to take it.
      confirming = api(stack.baseUrl).post(`/bookings/${booking.id}/confirm`, { paymentToken });
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      await stack.startWorker();
    }

    const res = await confirming;
    assert.equal(res.status, 410, JSON.stringify(res.body));
    assert.equal(res.body.code, 'HOLD_EXPIRED');
    assert.equal((await bookingHandle(stack, booking).result()).status, 'EXPIRED');
    assert.equal((await bookingRow(stack.pool, booking.id))?.status, 'EXPIRED');
    assert.deepEqual(await paymentSummary(stack, booking.id), [[`token:${booking.id}:${paymentToken}`, 2000, 'OWED_BACK']]);
    await assertRefundedOnce(`token:${booking.id}:${paymentToken}`, 2000);
  });

  test('a payment short of the amount does not confirm, and is owed back and refunded when the hold expires', async () => {
    const event = await createEvent(stack.baseUrl, { priceCents: 2000, holdSeconds: 2 });
    const booking = await holdSeats(stack.baseUrl, event.id, [3]);
    const paymentIntentId = newPaymentIntentId();
    await payViaWebhook(stack, { bookingId: booking.id, amountCents: 1999, paymentIntentId });

    const result = await bookingHandle(stack, booking).result();
    assert.equal(result.status, 'EXPIRED');
    assert.deepEqual(result.owedBackPaymentIds, [paymentIntentId]);
    assert.deepEqual(await paymentSummary(stack, booking.id), [[paymentIntentId, 1999, 'OWED_BACK']]);
    await assertRefundedOnce(paymentIntentId, 1999);
    assert.equal(await availableSeatCount(stack.pool, event.id), event.totalSeats);
  });

  test('the confirm endpoint after the hold expired answers 410 HOLD_EXPIRED and applies nothing', async () => {
    const event = await createEvent(stack.baseUrl, { priceCents: 2000, holdSeconds: 1 });
    const booking = await holdSeats(stack.baseUrl, event.id, [4]);
    await bookingHandle(stack, booking).result();

    const res = await api(stack.baseUrl).post(`/bookings/${booking.id}/confirm`, { paymentToken: `tok_${randomUUID()}` });
    assert.equal(res.status, 410, JSON.stringify(res.body));
    assert.equal(res.body.code, 'HOLD_EXPIRED');
    assert.equal((await bookingRow(stack.pool, booking.id))?.status, 'EXPIRED');
    assert.deepEqual(await paymentsOf(stack.pool, booking.id), []);
  });
});
