import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import type { PaymentNotice } from '../../domain/booking';
import { paymentSucceededSignal } from '../../domain/messages';
import { api } from '../support/http';
import { createEvent, holdSeats, paymentWebhook } from '../support/factories';
import { useTestStack } from '../support/stack';
import { bookingRow, paymentsOf } from './dbState';
import { bookingHandle, newPaymentIntentId, payViaWebhook, paymentSummary } from './driveBooking';
import { findRefund, simulatedRefundsOf, waitForRefund } from '../payments/paymentState';

describe('duplicate and extra payments', () => {
  const stack = useTestStack();

  /** Runs `deliver` with no worker, so every delivery reaches the same open workflow before it acts. */
  async function withWorkerStopped(deliver: () => Promise<void>): Promise<void> {
    await stack.stopWorker();
    try {
      await deliver();
    } finally {
      await stack.startWorker();
    }
  }

  test('the same PaymentIntent delivered twice by webhook and signalled twice directly confirms once', async () => {
    const event = await createEvent(stack.baseUrl, { priceCents: 1200 });
    const booking = await holdSeats(stack.baseUrl, event.id, [1]);
    const paymentIntentId = newPaymentIntentId();
    const notice: PaymentNotice = { paymentId: paymentIntentId, amountCents: 1200, source: 'webhook', receivedAt: new Date().toISOString() };

    await withWorkerStopped(async () => {
      const first = paymentWebhook(stack.env.stripeWebhookSecret, { bookingId: booking.id, amountCents: 1200, paymentIntentId });
      const delivered = await api(stack.baseUrl).post('/webhooks/payments', first.payload, first.headers);
      assert.deepEqual(delivered.body, { received: true });
      // The provider redelivers the same event: recognised, no second signal.
      const redelivered = await api(stack.baseUrl).post('/webhooks/payments', first.payload, first.headers);
      assert.deepEqual(redelivered.body, { received: true, duplicate: true });
      // A different event about the same PaymentIntent, and the same payment signalled directly.
      await payViaWebhook(stack, { bookingId: booking.id, amountCents: 1200, paymentIntentId });
      await bookingHandle(stack, booking).signal(paymentSucceededSignal, notice);
      await bookingHandle(stack, booking).signal(paymentSucceededSignal, notice);
    });

    const result = await bookingHandle(stack, booking).result();
    assert.equal(result.status, 'CONFIRMED');
    assert.equal(result.appliedPaymentId, paymentIntentId);
    assert.deepEqual(result.owedBackPaymentIds, []);
    assert.deepEqual(await paymentSummary(stack, booking.id), [[paymentIntentId, 1200, 'APPLIED']]);
  });

  test('a second, different payment signalled before the workflow settles is owed back and refunded, the first not', async () => {
    const event = await createEvent(stack.baseUrl, { priceCents: 1200 });
    const booking = await holdSeats(stack.baseUrl, event.id, [2]);
    const first: PaymentNotice = { paymentId: newPaymentIntentId(), amountCents: 1200, source: 'webhook', receivedAt: new Date().toISOString() };
    const second: PaymentNotice = { paymentId: newPaymentIntentId(), amountCents: 1200, source: 'webhook', receivedAt: new Date().toISOString() };

    await withWorkerStopped(async () => {
      await bookingHandle(stack, booking).signal(paymentSucceededSignal, first);
      await bookingHandle(stack, booking).signal(paymentSucceededSignal, second);
      await bookingHandle(stack, booking).signal(paymentSucceededSignal, first);
    });

    const result = await bookingHandle(stack, booking).result();
    assert.equal(result.status, 'CONFIRMED');
    assert.equal(result.appliedPaymentId, first.paymentId);
    assert.deepEqual(result.owedBackPaymentIds, [second.paymentId]);
    assert.deepEqual(result.refunds.map((r) => [r.paymentId, r.status]), [[second.paymentId, 'SUCCEEDED']]);
    assert.equal((await simulatedRefundsOf(stack.pool, second.paymentId)).length, 1);
    assert.equal(await findRefund(stack.pool, first.paymentId), undefined);
    assert.deepEqual(
      (await paymentsOf(stack.pool, booking.id)).map((p) => [p.paymentId, p.disposition]).sort(),
      [
        [first.paymentId, 'APPLIED'],
        [second.paymentId, 'OWED_BACK'],
      ].sort(),
    );
  });

  test('after the booking is confirmed, a different payment is owed back and refunded and a repeat of the applied one changes nothing', async () => {
    const event = await createEvent(stack.baseUrl, { priceCents: 1200 });
    const booking = await holdSeats(stack.baseUrl, event.id, [3]);
    const applied = newPaymentIntentId();
    await payViaWebhook(stack, { bookingId: booking.id, amountCents: 1200, paymentIntentId: applied });
    assert.equal((await bookingHandle(stack, booking).result()).status, 'CONFIRMED');

    // The workflow has closed: the API records these itself.
    const extra = newPaymentIntentId();
    await payViaWebhook(stack, { bookingId: booking.id, amountCents: 1200, paymentIntentId: extra });
    await payViaWebhook(stack, { bookingId: booking.id, amountCents: 1200, paymentIntentId: applied });

    assert.equal((await bookingRow(stack.pool, booking.id))?.status, 'CONFIRMED');
    assert.deepEqual(
      (await paymentsOf(stack.pool, booking.id)).map((p) => [p.paymentId, p.disposition]).sort(),
      [
        [applied, 'APPLIED'],
        [extra, 'OWED_BACK'],
      ].sort(),
    );
    await waitForRefund(stack.pool, extra, 'SUCCEEDED');
    assert.equal((await simulatedRefundsOf(stack.pool, extra)).length, 1);
    assert.equal(await findRefund(stack.pool, applied), undefined);
  });
});
