import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { EventRecord } from '../../domain/event';
import { signedPaymentEvent, type PaymentEventOptions, type SignedPaymentEvent } from '../../api/payments/signedPaymentEvent';
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

/** A Stripe-format webhook delivery for a PaymentIntent, signed as Stripe signs it (the simulator's own builder). */
export function paymentWebhook(secret: string, options: PaymentEventOptions): SignedPaymentEvent {
  return signedPaymentEvent(secret, options);
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
