import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import { PaymentEventType } from '../../api/payments/signedPaymentEvent';
import type { BookingResponse } from '../../api/presenters/booking';
import { statusQuery } from '../../domain/messages';
import { createEvent, eventually, holdSeats, paymentWebhook } from '../support/factories';
import { api } from '../support/http';
import { useTestStack } from '../support/stack';
import { bookingRow } from '../workflows/dbState';
import { bookingHandle, newPaymentIntentId, paymentSummary } from '../workflows/driveBooking';
import { findRefund } from './paymentState';

describe('payment webhooks repeated and out of order', () => {
  const stack = useTestStack();

  /** Signs and delivers one event about the PaymentIntent; expects the webhook to accept it. */
  async function deliver(
    booking: BookingResponse,
    paymentIntentId: string,
    type: PaymentEventType,
    eventId?: string,
  ): Promise<Record<string, unknown>> {
    const { payload, headers } = paymentWebhook(stack.env.stripeWebhookSecret, {
      bookingId: booking.id,
      amountCents: booking.amountCents ?? 0,
      paymentIntentId,
      type,
      eventId,
    });
    const res = await api(stack.baseUrl).post('/webhooks/payments', payload, headers);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  }

  test('a failed payment lets the buyer pay again while the hold lasts: failed, then succeeded, confirms', async () => {
    const event = await createEvent(stack.baseUrl, { priceCents: 1800 });
    const booking = await holdSeats(stack.baseUrl, event.id, [1]);
    const paymentIntentId = newPaymentIntentId();

    await deliver(booking, paymentIntentId, PaymentEventType.failed);
    const afterFailure = await eventually(
      async () => {
        const state = await bookingHandle(stack, booking).query(statusQuery);
        return state.lastPaymentFailure ? state : undefined;
      },
      20_000,
      'the failure to reach the workflow',
    );
    assert.equal(afterFailure.status, 'HELD');
    assert.equal(afterFailure.lastPaymentFailure, 'card declined');
    assert.equal((await bookingRow(stack.pool, booking.id))?.status, 'HELD');

    // The buyer tries again (same PaymentIntent, another card) and it goes through.
    await deliver(booking, paymentIntentId, PaymentEventType.succeeded);
    const result = await bookingHandle(stack, booking).result();
    assert.equal(result.status, 'CONFIRMED');
    assert.equal(result.appliedPaymentId, paymentIntentId);
    assert.deepEqual(result.refunds, []);
    assert.deepEqual(await paymentSummary(stack, booking.id), [[paymentIntentId, 1800, 'APPLIED']]);
  });

  test('a failure delivered after the success of the same payment changes nothing, whenever it arrives', async () => {
    const event = await createEvent(stack.baseUrl, { priceCents: 1100 });
    const booking = await holdSeats(stack.baseUrl, event.id, [2]);
    const paymentIntentId = newPaymentIntentId();

    // Both reach the open workflow, the failure last (no worker runs, so neither is acted on yet).
    await stack.stopWorker();
    try {
      await deliver(booking, paymentIntentId, PaymentEventType.succeeded);
      await deliver(booking, paymentIntentId, PaymentEventType.failed);
    } finally {
      await stack.startWorker();
    }
    const result = await bookingHandle(stack, booking).result();
    assert.equal(result.status, 'CONFIRMED');
    assert.equal(result.appliedPaymentId, paymentIntentId);
    assert.equal(result.lastPaymentFailure, null);

    // And once more after the booking closed: still confirmed, one applied payment, nothing to refund.
    assert.deepEqual(await deliver(booking, paymentIntentId, PaymentEventType.failed), { received: true });
    const shown = await api(stack.baseUrl).get<BookingResponse>(`/bookings/${booking.id}`);
    assert.equal(shown.body.status, 'CONFIRMED');
    assert.deepEqual(await paymentSummary(stack, booking.id), [[paymentIntentId, 1100, 'APPLIED']]);
    assert.equal(await findRefund(stack.pool, paymentIntentId), undefined);
  });

  test('duplicate deliveries of a failure and of a success, interleaved, confirm once with one payment', async () => {
    const event = await createEvent(stack.baseUrl, { priceCents: 600 });
    const booking = await holdSeats(stack.baseUrl, event.id, [3]);
    const paymentIntentId = newPaymentIntentId();
    const failedEventId = `evt_failed_${paymentIntentId}`;
    const succeededEventId = `evt_succeeded_${paymentIntentId}`;

    await stack.stopWorker();
    try {
      assert.deepEqual(await deliver(booking, paymentIntentId, PaymentEventType.failed, failedEventId), { received: true });
      assert.deepEqual(await deliver(booking, paymentIntentId, PaymentEventType.succeeded, succeededEventId), { received: true });
      assert.deepEqual(await deliver(booking, paymentIntentId, PaymentEventType.failed, failedEventId), {
        received: true,
        duplicate: true,
      });
      assert.deepEqual(await deliver(booking, paymentIntentId, PaymentEventType.succeeded, succeededEventId), {
        received: true,
        duplicate: true,
      });
    } finally {
      await stack.startWorker();
    }

    const result = await bookingHandle(stack, booking).result();
    assert.equal(result.status, 'CONFIRMED');
    assert.deepEqual(result.owedBackPaymentIds, []);
    assert.deepEqual(await paymentSummary(stack, booking.id), [[paymentIntentId, 600, 'APPLIED']]);
    assert.equal(await findRefund(stack.pool, paymentIntentId), undefined);
  });
});
