import type { BookingRecord } from '../../domain/booking';
import type { ApiDeps } from '../deps';
import { serviceUnavailable } from '../errors';
import { PaymentEventType, signedPaymentEvent } from '../payments/signedPaymentEvent';

export type SimulatedOutcome = keyof typeof PaymentEventType;

export interface SimulatedPayment {
  paymentIntentId: string;
  eventId: string;
  /** What the webhook endpoint answered the delivery. */
  webhookStatus: number;
}

const DELIVERY_TIMEOUT_MS = 30_000;

/**
 * Plays the payment provider for a booking: builds the PaymentIntent event for its amount, signs it
 * with the webhook secret and POSTs it to the webhook endpoint over HTTP, as the provider would.
 * Whatever the booking's state, the delivery is made: what happens next is the webhook's business.
 */
export async function simulatePayment(
  deps: ApiDeps,
  booking: BookingRecord,
  outcome: SimulatedOutcome,
  webhookUrl: string,
): Promise<SimulatedPayment> {
  const delivery = signedPaymentEvent(deps.env.stripeWebhookSecret, {
    bookingId: booking.id,
    amountCents: booking.amountCents,
    type: PaymentEventType[outcome],
  });
  let webhookStatus: number;
  try {
    const res = await fetch(webhookUrl, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.payload,
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    await res.arrayBuffer();
    webhookStatus = res.status;
  } catch (err) {
    throw serviceUnavailable(`Could not deliver the payment webhook to ${webhookUrl}: ${(err as Error).message}`);
  }
  return { paymentIntentId: delivery.paymentIntentId, eventId: delivery.eventId, webhookStatus };
}
