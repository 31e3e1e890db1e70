import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';

/** The two PaymentIntent outcomes the webhook acts on. */
export const PaymentEventType = {
  succeeded: 'payment_intent.succeeded',
  failed: 'payment_intent.payment_failed',
} as const;
export type PaymentEventType = (typeof PaymentEventType)[keyof typeof PaymentEventType];

export interface PaymentEventOptions {
  bookingId: string;
  amountCents: number;
  type?: PaymentEventType;
  /** Fresh `pi_...` / `evt_...` ids unless given (a redelivery reuses them). */
  paymentIntentId?: string;
  eventId?: string;
}

/** One webhook delivery: the exact bytes to send and the headers that go with them. */
export interface SignedPaymentEvent {
  eventId: string;
  paymentIntentId: string;
  payload: string;
  headers: Record<string, string>;
}

const stripeId = (prefix: string) => `${prefix}_${randomUUID().replace(/-/g, '')}`;

/**
 * A Stripe-format PaymentIntent event for a booking, signed with the webhook secret as Stripe
 * signs it. Used by the payment simulator and by the tests, so both deliver what a provider would.
 */
export function signedPaymentEvent(secret: string, options: PaymentEventOptions): SignedPaymentEvent {
  const type = options.type ?? PaymentEventType.succeeded;
  const failed = type === PaymentEventType.failed;
  const eventId = options.eventId ?? stripeId('evt');
  const paymentIntentId = options.paymentIntentId ?? stripeId('pi');
  const payload = JSON.stringify({
    id: eventId,
    object: 'event',
    type,
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        id: paymentIntentId,
        object: 'payment_intent',
        amount: options.amountCents,
        amount_received: failed ? 0 : options.amountCents,
        currency: 'usd',
        status: failed ? 'requires_payment_method' : 'succeeded',
        metadata: { bookingId: options.bookingId },
        last_payment_error: failed ? { message: 'card declined' } : null,
      },
    },
  });
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret });
  return {
    eventId,
    paymentIntentId,
    payload,
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
  };
}
