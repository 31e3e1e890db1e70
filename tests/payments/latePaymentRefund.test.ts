import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import type { BookingResponse } from '../../api/presenters/booking';
import { injectRefundFault } from '../../db/queries/simulatedPayments';
import { refundStatusSearchAttribute } from '../../domain/searchAttributes';
import { refundWorkflowId } from '../../domain/taskQueue';
import type { bookingWorkflow, refundPaymentWorkflow } from '../../workflows';
import { createEvent, eventually, holdSeats, paymentWebhook } from '../support/factories';
import { api } from '../support/http';
import { useTestStack } from '../support/stack';
import { paymentsOf } from '../workflows/dbState';
import { newPaymentIntentId, payViaWebhook, sleepUntilPast } from '../workflows/driveBooking';
import { findRefund, simulatedRefundsOf, waitForRefund } from './paymentState';

describe('late payments are refunded automatically, exactly once', () => {
  const stack = useTestStack();

  const bookingHandle = (booking: BookingResponse) =>
    stack.temporal.workflow.getHandle<typeof bookingWorkflow>(booking.workflowId);
  const refundHandle = (paymentId: string) =>
    stack.temporal.workflow.getHandle<typeof refundPaymentWorkflow>(refundWorkflowId(paymentId));
  const getBooking = async (id: string) => (await api(stack.baseUrl).get<BookingResponse>(`/bookings/${id}`)).body;
  const deliver = (payload: string, headers: Record<string, string>) =>
    api(stack.baseUrl).post('/webhooks/payments', payload, headers);

  /** A booking whose hold already expired and whose workflow has closed. */
  async function expiredBooking(priceCents: number): Promise<BookingResponse> {
    const event = await createEvent(stack.baseUrl, { priceCents, holdSeconds: 1 });
    const booking = await holdSeats(stack.baseUrl, event.id, [1]);
    assert.equal((await bookingHandle(booking).result()).status, 'EXPIRED');
    return booking;
  }

  test('a payment after the booking closed is refunded once, despite a redelivery and a second event for it', async () => {
    const booking = await expiredBooking(2000);
    const paymentIntentId = newPaymentIntentId();
    const first = paymentWebhook(stack.env.stripeWebhookSecret, { bookingId: booking.id, amountCents: 2000, paymentIntentId });

    assert.deepEqual((await deliver(first.payload, first.headers)).body, { received: true });
    assert.deepEqual((await deliver(first.payload, first.headers)).body, { received: true, duplicate: true });
    await payViaWebhook(stack, { bookingId: booking.id, amountCents: 2000, paymentIntentId });

    const outcome = await refundHandle(paymentIntentId).result();
    assert.equal(outcome.status, 'SUCCEEDED');
    const refund = await waitForRefund(stack.pool, paymentIntentId, 'SUCCEEDED');
    assert.equal(refund.refundId, outcome.refundId);
    assert.equal(refund.attempts, 1);
    assert.equal(refund.reason, 'UNAPPLIED');
    assert.deepEqual(await simulatedRefundsOf(stack.pool, paymentIntentId), [
      { refundId: outcome.refundId, paymentId: paymentIntentId, amountCents: 2000 },
    ]);

    const shown = await getBooking(booking.id);
    assert.equal(shown.status, 'EXPIRED');
    const [payment, ...others] = shown.payments ?? [];
    assert.deepEqual(others, []);
    const { refund: shownRefund, ...paid } = payment;
    assert.deepEqual(paid, { paymentId: paymentIntentId, amountCents: 2000, disposition: 'OWED_BACK' });
    const { updatedAt, ...refundFields } = shownRefund ?? { updatedAt: '' };
    assert.deepEqual(refundFields, { refundId: outcome.refundId, status: 'SUCCEEDED', attempts: 1, lastError: null });
    assert.match(updatedAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  test('a payment signalled after the hold lapsed is refunded by the booking workflow, once, and its query shows it', async () => {
    const event = await createEvent(stack.baseUrl, { priceCents: 1500, holdSeconds: 2 });
    const booking = await holdSeats(stack.baseUrl, event.id, [2]);
    const paymentIntentId = newPaymentIntentId();
    const delivery = paymentWebhook(stack.env.stripeWebhookSecret, { bookingId: booking.id, amountCents: 1500, paymentIntentId });
    // With no worker the workflow cannot act: every delivery reaches it while it is still open.
    await stack.stopWorker();
    try {
      assert.ok(booking.expiresAt);
      await sleepUntilPast(booking.expiresAt, 500);
      await deliver(delivery.payload, delivery.headers);
      await deliver(delivery.payload, delivery.headers);
      await payViaWebhook(stack, { bookingId: booking.id, amountCents: 1500, paymentIntentId });
    } finally {
      await stack.startWorker();
    }

    const result = await bookingHandle(booking).result();
    assert.equal(result.status, 'EXPIRED');
    assert.deepEqual(result.owedBackPaymentIds, [paymentIntentId]);
    const refunds = await simulatedRefundsOf(stack.pool, paymentIntentId);
    assert.equal(refunds.length, 1);
    assert.deepEqual(result.refunds, [
      { paymentId: paymentIntentId, amountCents: 1500, status: 'SUCCEEDED', refundId: refunds[0].refundId, failure: null },
    ]);
    const description = await bookingHandle(booking).describe();
    assert.equal(description.typedSearchAttributes.get(refundStatusSearchAttribute), 'SUCCEEDED');
    assert.equal((await findRefund(stack.pool, paymentIntentId))?.attempts, 1);
    // The booking workflow did it: no separate refund workflow was needed.
    await assert.rejects(refundHandle(paymentIntentId).describe());
  });

  test('a refund that fails is retried with backoff until it succeeds, once, its attempts visible meanwhile', async () => {
    const booking = await expiredBooking(900);
    const paymentIntentId = newPaymentIntentId();
    await injectRefundFault(stack.pool, paymentIntentId, 'UNAVAILABLE', 3);

    await payViaWebhook(stack, { bookingId: booking.id, amountCents: 900, paymentIntentId });

    // While it is being retried, an operator sees the refund pending: in the database (attempts,
    // last error), in the workflow's pending activity, and by the RefundStatus search attribute.
    const pending = await eventually(
      async () => {
        const row = await findRefund(stack.pool, paymentIntentId);
        return row && row.status === 'REQUESTED' && row.attempts >= 2 ? row : undefined;
      },
      30_000,
      'a second failed attempt',
    );
    assert.match(pending.lastError ?? '', /simulated provider outage/);
    const description = await refundHandle(paymentIntentId).describe();
    assert.equal(description.typedSearchAttributes.get(refundStatusSearchAttribute), 'PENDING');
    const shown = await getBooking(booking.id);
    assert.equal(shown.payments?.[0]?.refund?.status, 'REQUESTED');

    const outcome = await refundHandle(paymentIntentId).result();
    assert.equal(outcome.status, 'SUCCEEDED');
    const refund = await findRefund(stack.pool, paymentIntentId);
    assert.equal(refund?.status, 'SUCCEEDED');
    assert.equal(refund?.attempts, 4);
    assert.equal((await simulatedRefundsOf(stack.pool, paymentIntentId)).length, 1);
    assert.equal((await refundHandle(paymentIntentId).describe()).typedSearchAttributes.get(refundStatusSearchAttribute), 'SUCCEEDED');

    // One activity, retried: scheduled once, completed on its fourth attempt.
    const { events } = await refundHandle(paymentIntentId).fetchHistory();
    const scheduled = (events ?? []).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'refundPayment');
    const started = (events ?? []).flatMap((e) => (e.activityTaskStartedEventAttributes ? [e.activityTaskStartedEventAttributes.attempt] : []));
    assert.equal(scheduled.length, 1);
    assert.deepEqual(started, [4]);
  });

  test('a refund the provider refuses is FAILED with its reason, for an operator to see, and not retried', async () => {
    const booking = await expiredBooking(700);
    const paymentIntentId = newPaymentIntentId();
    await injectRefundFault(stack.pool, paymentIntentId, 'REFUSED', 1);

    await payViaWebhook(stack, { bookingId: booking.id, amountCents: 700, paymentIntentId });

    const outcome = await refundHandle(paymentIntentId).result();
    assert.equal(outcome.status, 'FAILED');
    assert.match(outcome.failure ?? '', /refused/);
    const refund = await findRefund(stack.pool, paymentIntentId);
    assert.equal(refund?.status, 'FAILED');
    assert.equal(refund?.attempts, 1);
    assert.match(refund?.lastError ?? '', /refused/);
    assert.deepEqual(await simulatedRefundsOf(stack.pool, paymentIntentId), []);
    assert.equal((await refundHandle(paymentIntentId).describe()).typedSearchAttributes.get(refundStatusSearchAttribute), 'FAILED');
    assert.equal((await getBooking(booking.id)).payments?.[0]?.refund?.status, 'FAILED');
  });

  test('after confirmation, another payment is refunded while a redelivery of the applied one is not', async () => {
    const event = await createEvent(stack.baseUrl, { priceCents: 1200 });
    const booking = await holdSeats(stack.baseUrl, event.id, [3]);
    const applied = newPaymentIntentId();
    await payViaWebhook(stack, { bookingId: booking.id, amountCents: 1200, paymentIntentId: applied });
    assert.equal((await bookingHandle(booking).result()).status, 'CONFIRMED');

    const extra = newPaymentIntentId();
    await payViaWebhook(stack, { bookingId: booking.id, amountCents: 1200, paymentIntentId: extra });
    await payViaWebhook(stack, { bookingId: booking.id, amountCents: 1200, paymentIntentId: applied });

    assert.equal((await refundHandle(extra).result()).status, 'SUCCEEDED');
    assert.equal((await simulatedRefundsOf(stack.pool, extra)).length, 1);
    assert.equal(await findRefund(stack.pool, applied), undefined);
    assert.deepEqual(await simulatedRefundsOf(stack.pool, applied), []);
    await assert.rejects(refundHandle(applied).describe());
    assert.deepEqual(
      (await paymentsOf(stack.pool, booking.id)).map((p) => [p.paymentId, p.disposition]).sort(),
      [
        [applied, 'APPLIED'],
        [extra, 'OWED_BACK'],
      ].sort(),
    );
  });
});
