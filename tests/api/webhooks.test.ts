import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import Stripe from 'stripe';
import type { BookingResponse } from '../../api/presenters/booking';
import type { SeatView } from '../../domain/event';
import { createEvent, eventually, holdSeats, paymentWebhook } from '../support/factories';
import { api } from '../support/http';
import { useTestStack } from '../support/stack';
import { assertError } from './assertions';

const stack = useTestStack();

const http = () => api(stack.baseUrl);
const deliver = (payload: string, headers: Record<string, string>) => http().post('/webhooks/payments', payload, headers);

async function bookingStatus(id: string): Promise<string> {
  return (await http().get<BookingResponse>(`/bookings/${id}`)).body.status;
}

async function waitForStatus(id: string, status: string): Promise<void> {
  await eventually(async () => ((await bookingStatus(id)) === status ? true : undefined), 30_000, `booking ${id} ${status}`);
}

async function paymentCount(bookingId: string): Promise<number> {
  const { rows } = await stack.pool.query<{ count: number }>('SELECT count(*) FROM payments WHERE booking_id = $1', [
    bookingId,
  ]);
  return rows[0].count;
}

/** A signed delivery of any event type, as Stripe would send it. */
function signedEvent(type: string, object: Record<string, unknown>, secret = stack.env.stripeWebhookSecret) {
  const payload = JSON.stringify({
    id: `evt_${randomUUID().replace(/-/g, '')}`,
    object: 'event',
    type,
    created: Math.floor(Date.now() / 1000),
    data: { object },
  });
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret });
  return { payload, headers: { 'content-type': 'application/json', 'stripe-signature': signature } };
}

async function heldBooking(seat: number, priceCents = 1100): Promise<BookingResponse> {
  const event = await createEvent(stack.baseUrl, { totalSeats: 10, priceCents });
  return holdSeats(stack.baseUrl, event.id, [seat]);
}

describe('POST /webhooks/payments signature checks', () => {
  test('returns 400 INVALID_SIGNATURE when the body was changed after signing', async () => {
    const booking = await heldBooking(1);
    const { payload, headers } = paymentWebhook(stack.env.stripeWebhookSecret, {
      bookingId: booking.id,
      amountCents: booking.amountCents ?? 0,
    });
    const tampered = payload.replace(`"amount":${booking.amountCents}`, `"amount":${(booking.amountCents ?? 0) + 1}`);
    assert.notEqual(tampered, payload);
    assertError(await deliver(tampered, headers), 400, 'INVALID_SIGNATURE');
    assert.equal(await bookingStatus(booking.id), 'HELD');
    assert.equal(await paymentCount(booking.id), 0);
  });

  test('returns 400 INVALID_SIGNATURE when the Stripe-Signature header is missing', async () => {
    const booking = await heldBooking(2);
    const { payload } = paymentWebhook(stack.env.stripeWebhookSecret, {
      bookingId: booking.id,
      amountCents: booking.amountCents ?? 0,
    });
    assertError(await deliver(payload, { 'content-type': 'application/json' }), 400, 'INVALID_SIGNATURE');
    assert.equal(await bookingStatus(booking.id), 'HELD');
  });

  test('returns 400 INVALID_SIGNATURE when signed with another secret', async () => {
    const booking = await heldBooking(3);
    const { payload, headers } = paymentWebhook('whsec_not_the_right_secret', {
      bookingId: booking.id,
      amountCents: booking.amountCents ?? 0,
    });
    assertError(await deliver(payload, headers), 400, 'INVALID_SIGNATURE');
    assert.equal(await bookingStatus(booking.id), 'HELD');
    assert.equal(await paymentCount(booking.id), 0);
  });

  test('returns 400 INVALID_SIGNATURE for a garbage signature header', async () => {
    const booking = await heldBooking(4);
    const { payload } = paymentWebhook(stack.env.stripeWebhookSecret, {
      bookingId: booking.id,
      amountCents: booking.amountCents ?? 0,
    });
    assertError(
      await deliver(payload, { 'content-type': 'application/json', 'stripe-signature': 'not-a-signature' }),
      400,
      'INVALID_SIGNATURE',
    );
  });

  test('returns 400 INVALID_SIGNATURE for a delivery signed long ago (replay)', async () => {
    const booking = await heldBooking(5);
    const payload = JSON.stringify({
      id: `evt_${randomUUID().replace(/-/g, '')}`,
      object: 'event',
      type: 'payment_intent.succeeded',
      data: {
        object: { id: `pi_${randomUUID().slice(0, 8)}`, amount: booking.amountCents, metadata: { bookingId: booking.id } },
      },
    });
    const signature = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: stack.env.stripeWebhookSecret,
      timestamp: Math.floor(Date.now() / 1000) - 3600,
    });
    assertError(
      await deliver(payload, { 'content-type': 'application/json', 'stripe-signature': signature }),
      400,
      'INVALID_SIGNATURE',
    );
    assert.equal(await bookingStatus(booking.id), 'HELD');
  });
});

describe('POST /webhooks/payments deliveries', () => {
  test('a valid payment_intent.succeeded returns 200 and confirms the booking', async () => {
    const booking = await heldBooking(6);
    const { payload, headers } = paymentWebhook(stack.env.stripeWebhookSecret, {
      bookingId: booking.id,
      amountCents: booking.amountCents ?? 0,
    });
    const res = await deliver(payload, headers);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.received, true);
    await waitForStatus(booking.id, 'CONFIRMED');
    const seats = (await http().get<SeatView[]>(`/events/${booking.eventId}/seats`)).body;
    assert.equal(seats.find((s) => s.seatNumber === 6)?.status, 'BOOKED');
    assert.equal(await paymentCount(booking.id), 1);
  });

  test('the same delivery sent twice returns 200 both times and records exactly one payment', async () => {
    const booking = await heldBooking(7);
    const { payload, headers } = paymentWebhook(stack.env.stripeWebhookSecret, {
      bookingId: booking.id,
      amountCents: booking.amountCents ?? 0,
    });
    const first = await deliver(payload, headers);
    const second = await deliver(payload, headers);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(second.status, 200, JSON.stringify(second.body));
    await waitForStatus(booking.id, 'CONFIRMED');
    // Once more after the booking settled: still no second effect.
    assert.equal((await deliver(payload, headers)).status, 200);
    assert.equal(await paymentCount(booking.id), 1);
    const { rows } = await stack.pool.query<{ disposition: string }>(
      'SELECT disposition FROM payments WHERE booking_id = $1',
      [booking.id],
    );
    assert.deepEqual(
      rows.map((r) => r.disposition),
      ['APPLIED'],
    );
  });

  test('the same delivery sent twice at once records exactly one payment', async () => {
    const booking = await heldBooking(8);
    const { payload, headers } = paymentWebhook(stack.env.stripeWebhookSecret, {
      bookingId: booking.id,
      amountCents: booking.amountCents ?? 0,
    });
    const answers = await Promise.all([deliver(payload, headers), deliver(payload, headers)]);
    assert.deepEqual(
      answers.map((a) => a.status),
      [200, 200],
      JSON.stringify(answers.map((a) => a.body)),
    );
    await waitForStatus(booking.id, 'CONFIRMED');
    assert.equal(await paymentCount(booking.id), 1);
  });

  test('payment_intent.payment_failed returns 200 and leaves the booking HELD', async () => {
    const booking = await heldBooking(9);
    const { payload, headers } = paymentWebhook(stack.env.stripeWebhookSecret, {
      bookingId: booking.id,
      amountCents: booking.amountCents ?? 0,
      type: 'payment_intent.payment_failed',
    });
    const res = await deliver(payload, headers);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(await bookingStatus(booking.id), 'HELD');
    assert.equal(await paymentCount(booking.id), 0);
  });

  test('an unknown event type returns 200 and is ignored', async () => {
    const booking = await heldBooking(10);
    const { payload, headers } = signedEvent('charge.refunded', {
      id: `ch_${randomUUID().slice(0, 8)}`,
      amount: booking.amountCents,
      metadata: { bookingId: booking.id },
    });
    const res = await deliver(payload, headers);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.ignored, true);
    assert.equal(await bookingStatus(booking.id), 'HELD');
    assert.equal(await paymentCount(booking.id), 0);
  });

  test('a succeeded payment for an unknown booking returns 200 and is recorded as owed back', async () => {
    const paymentIntentId = `pi_${randomUUID().replace(/-/g, '')}`;
    const { payload, headers } = paymentWebhook(stack.env.stripeWebhookSecret, {
      bookingId: randomUUID(),
      amountCents: 1500,
      paymentIntentId,
    });
    const res = await deliver(payload, headers);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const { rows } = await stack.pool.query<{ disposition: string; amount_cents: number }>(
      'SELECT disposition, amount_cents FROM payments WHERE payment_id = $1',
      [paymentIntentId],
    );
    assert.deepEqual(rows, [{ disposition: 'OWED_BACK', amount_cents: 1500 }]);
  });

  test('a signed delivery whose payment intent is malformed returns 200 and is ignored', async () => {
    const booking = await heldBooking(1);
    const { payload, headers } = signedEvent('payment_intent.succeeded', {
      id: 42,
      amount: 'lots',
      metadata: { bookingId: booking.id },
    });
    const res = await deliver(payload, headers);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(await bookingStatus(booking.id), 'HELD');
  });
});
