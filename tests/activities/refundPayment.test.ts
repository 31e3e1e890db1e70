import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import { ApplicationFailure } from '@temporalio/common';
import type { PaymentNotice } from '../../domain/booking';
import { ErrorCode } from '../../domain/errorCodes';
import { findRefund } from '../../db/queries/refunds';
import { injectRefundFault, simulatedRefundsOf } from '../../db/queries/simulatedPayments';
import { businessFailure, useActivityFixture, holdRequest, newEvent } from './activityFixture';

describe('refundPayment activity', () => {
  const { pool, activities } = useActivityFixture();

  const payment = (amountCents: number): PaymentNotice => ({
    receivedAt: new Date().toISOString(),
    paymentId: `pi_${randomUUID().replace(/-/g, '')}`,
    amountCents,
    source: 'webhook',
    providerEventId: `evt_${randomUUID()}`,
  });

  /** A booking whose hold expired, and a payment for it recorded as owed back. */
  async function owedBack(amountCents: number) {
    const event = await newEvent(pool, { priceCents: amountCents });
    const req = holdRequest(event.id, [1]);
    await activities.holdSeats(req);
    await activities.releaseHold(req.bookingId, 'EXPIRED');
    const late = payment(amountCents);
    await activities.recordOwedBack(req.bookingId, late);
    return { bookingId: req.bookingId, order: { paymentId: late.paymentId, bookingId: req.bookingId, amountCents, reason: 'UNAPPLIED' as const } };
  }

  test('run twice for owed-back money, it refunds once and answers the same refund', async () => {
    const { order } = await owedBack(1200);
    const first = await activities.refundPayment(order);
    const second = await activities.refundPayment(order);

    assert.deepEqual(second, first);
    assert.deepEqual(await simulatedRefundsOf(pool, order.paymentId), [
      { refundId: first.refundId, paymentId: order.paymentId, amountCents: 1200 },
    ]);
    const row = await findRefund(pool, order.paymentId);
    assert.equal(row?.status, 'SUCCEEDED');
    assert.equal(row?.attempts, 1);
    assert.equal(row?.refundId, first.refundId);
  });

  test('after an outage it throws a retryable error and counts the attempt; the retry refunds', async () => {
    const { order } = await owedBack(500);
    await injectRefundFault(pool, order.paymentId, 'UNAVAILABLE', 1);

    await assert.rejects(activities.refundPayment(order), (err: unknown) => {
      assert.ok(!(err instanceof ApplicationFailure && err.nonRetryable), 'an outage must be retried');
      return true;
    });
    const failed = await findRefund(pool, order.paymentId);
    assert.equal(failed?.status, 'REQUESTED');
    assert.equal(failed?.attempts, 1);
    assert.match(failed?.lastError ?? '', /outage/);

    await activities.refundPayment(order);
    const done = await findRefund(pool, order.paymentId);
    assert.equal(done?.status, 'SUCCEEDED');
    assert.equal(done?.attempts, 2);
    assert.equal((await simulatedRefundsOf(pool, order.paymentId)).length, 1);
  });

  test('a refusal fails it REFUND_REFUSED (non-retryable) and records the refund FAILED', async () => {
    const { order } = await owedBack(500);
    await injectRefundFault(pool, order.paymentId, 'REFUSED', 1);
    await assert.rejects(activities.refundPayment(order), businessFailure(ErrorCode.RefundRefused));
    const row = await findRefund(pool, order.paymentId);
    assert.equal(row?.status, 'FAILED');
    assert.deepEqual(await simulatedRefundsOf(pool, order.paymentId), []);
  });

  test('refuses to refund as unapplied money a payment that bought its booking', async () => {
    const event = await newEvent(pool, { priceCents: 700 });
    const req = holdRequest(event.id, [2]);
    await activities.holdSeats(req);
    const paid = payment(700);
    await activities.confirmBooking(req.bookingId, paid);

    const order = { paymentId: paid.paymentId, bookingId: req.bookingId, amountCents: 700, reason: 'UNAPPLIED' as const };
    await assert.rejects(activities.refundPayment(order), businessFailure(ErrorCode.RefundRefused));
    assert.equal(await findRefund(pool, paid.paymentId), undefined);
    assert.deepEqual(await simulatedRefundsOf(pool, paid.paymentId), []);
  });
});
