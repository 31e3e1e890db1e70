import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import { as, client, newUserId } from '../auth/authClient';
import { eventually, paymentWebhook } from '../support/factories';
import { useTestStack } from '../support/stack';

describe('POST /payments/:paymentId/refund (staff)', () => {
  const stack = useTestStack({ env: { authRequired: true } });

  const secret = () => stack.env.jwtSecret;
  const staff = () => as(stack.baseUrl, secret(), newUserId('staff'), 'staff');
  const deliver = async (bookingId: string, amountCents: number) => {
    const paymentIntentId = `pi_${randomUUID().replace(/-/g, '')}`;
    const { payload, headers } = paymentWebhook(stack.env.stripeWebhookSecret, { bookingId, amountCents, paymentIntentId });
    const res = await client(stack.baseUrl).post('/webhooks/payments', payload, headers);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return paymentIntentId;
  };
  const providerRefunds = async (paymentId: string) =>
    Number((await stack.pool.query('SELECT count(*) AS n FROM simulated_refunds WHERE payment_id = $1', [paymentId])).rows[0].n);

  test('answers 202 for money owed back and refunds it exactly once, however often staff ask', async () => {
    // A payment for a booking that does not exist bought nothing: it is owed back.
    const paymentId = await deliver(randomUUID(), 1500);
    const operator = await staff();
    const first = await operator.post<{ disposition: string; refund: unknown }>(`/payments/${paymentId}/refund`);
    assert.equal(first.status, 202, JSON.stringify(first.body));
    assert.equal(first.body.disposition, 'OWED_BACK');
    const again = await operator.post(`/payments/${paymentId}/refund`);
    assert.equal(again.status, 202);
    const refund = await eventually(async () => {
      const res = await operator.get<{ refund: { status: string } | null }>(`/payments/${paymentId}`);
      return res.body.refund?.status === 'SUCCEEDED' ? res.body.refund : undefined;
    }, 30_000, 'the refund to succeed');
    assert.equal(refund.status, 'SUCCEEDED');
    assert.equal(await providerRefunds(paymentId), 1);
  });

  test('answers 409 PAYMENT_APPLIED for a payment that bought its booking', async () => {
    const operator = await staff();
    const created = await operator.post<{ id: string }>('/events', { name: 'staff refund', totalSeats: 5, priceCents: 800 });
    assert.equal(created.status, 201);
    const buyer = await as(stack.baseUrl, secret(), newUserId('buyer'));
    const hold = await buyer.post<{ id: string }>('/bookings', { eventId: created.body.id, seatNumbers: [1] });
    assert.equal(hold.status, 201, JSON.stringify(hold.body));
    const paymentId = await deliver(hold.body.id, 800);
    await eventually(async () => {
      const res = await buyer.get<{ status: string }>(`/bookings/${hold.body.id}`);
      return res.body.status === 'CONFIRMED' ? true : undefined;
    }, 20_000, 'the booking to confirm');
    const res = await operator.post<{ code: string }>(`/payments/${paymentId}/refund`);
    assert.equal(res.status, 409);
    assert.equal(res.body.code, 'PAYMENT_APPLIED');
    assert.equal(await providerRefunds(paymentId), 0);
  });

  test('answers 404 PAYMENT_NOT_FOUND for an unknown payment', async () => {
    const res = await (await staff()).post<{ code: string }>('/payments/pi_unknown/refund');
    assert.equal(res.status, 404);
    assert.equal(res.body.code, 'PAYMENT_NOT_FOUND');
  });

  test('refuses buyers with 403 and callers without a token with 401', async () => {
    const paymentId = await deliver(randomUUID(), 300);
    const buyer = await as(stack.baseUrl, secret(), newUserId('buyer'));
    assert.equal((await buyer.post(`/payments/${paymentId}/refund`)).status, 403);
    assert.equal((await buyer.get(`/payments/${paymentId}`)).status, 403);
    assert.equal((await client(stack.baseUrl).post(`/payments/${paymentId}/refund`)).status, 401);
    assert.equal((await client(stack.baseUrl).get(`/payments/${paymentId}`)).status, 401);
  });
});
