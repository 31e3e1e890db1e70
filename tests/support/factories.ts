import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import type { EventRecord } from '../../domain/event';
import type { BookingResponse } from '../../api/presenters/booking';
import { api } from './http';

export async function createEvent(baseUrl: string, overrides: Record<string, unknown> = {}): Promise<EventRecord> {
  const res = await api(baseUrl).post<EventRecord>('/events', {
    name: `Test event ${randomUUID().slice(0, 8)}`,
    totalSeats: 20,
    priceCents: 2500,
    ...overrides,
  });
  assert.equal(res.status, 201, `creating an event answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function holdSeats(
  baseUrl: string,
  eventId: string,
  seatNumbers: number[],
  userId = `user-${randomUUID().slice(0, 8)}`,
): Promise<BookingResponse> {
  const res = await api(baseUrl).post<BookingResponse>('/bookings', { eventId, userId, seatNumbers });
  assert.equal(res.status, 201, `holding seats answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A Stripe-format webhook delivery for a PaymentIntent, signed as Stripe signs it. */
export function paymentWebhook(
  secret: string,
  options: {
    bookingId: string;
    amountCents: number;
    type?: 'payment_intent.succeeded' | 'payment_intent.payment_failed';
    paymentIntentId?: string;
    eventId?: string;
  },
): { payload: string; headers: Record<string, string> } {
  const payload = JSON.stringify({
    id: options.eventId ?? `evt_${randomUUID().replace(/-/g, '')}`,
    object: 'event',
    type: options.type ?? 'payment_intent.succeeded',
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        id: options.paymentIntentId ?? `pi_${randomUUID().replace(/-/g, '')}`,
        object: 'payment_intent',
        amount: options.amountCents,
        amount_received: options.type === 'payment_intent.payment_failed' ? 0 : options.amountCents,
        currency: 'usd',
        metadata: { bookingId: options.bookingId },
        last_payment_error: options.type === 'payment_intent.payment_failed' ? { message: 'card declined' } : null,
      },
    },
  });
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret });
  return { payload, headers: { 'content-type': 'application/json', 'stripe-signature': signature } };
}

/** Polls until `check` returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
