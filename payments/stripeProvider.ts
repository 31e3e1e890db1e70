import Stripe from 'stripe';
import {
  RefundRefusedError,
  type CreatedPaymentIntent,
  type CreatePaymentIntentRequest,
  type PaymentProvider,
  type RefundRequest,
  type RefundResult,
} from './paymentProvider';

export interface StripeSettings {
  secretKey: string;
  /** Another Stripe API base, e.g. stripe-mock's `http://127.0.0.1:12111`; unset: api.stripe.com. */
  apiUrl?: string;
  currency: string;
}

// Stripe's answers that asking again will not change: the request itself is refused (4xx), or an
// idempotency key was reused with other parameters. Outages, rate limits, and auth or permission
// errors (a configuration an operator can fix) are retried.
const REFUSALS = new Set(['StripeInvalidRequestError', 'StripeIdempotencyError', 'StripeCardError']);

function isStripeError(err: unknown): err is Stripe.errors.StripeError {
  return err instanceof Stripe.errors.StripeError;
}

/** The Stripe client for these settings: api.stripe.com, or the host, port and protocol of apiUrl. */
export function stripeClient(settings: StripeSettings): Stripe {
  const url = settings.apiUrl ? new URL(settings.apiUrl) : undefined;
  return new Stripe(settings.secretKey, {
    ...(url && {
      host: url.hostname,
      port: url.port || (url.protocol === 'http:' ? 80 : 443),
      protocol: url.protocol === 'http:' ? 'http' : 'https',
    }),
    // Temporal retries refunds (and counts the attempts); one quick retry covers a dropped connection.
    maxNetworkRetries: 1,
    timeout: 20_000,
    telemetry: false,
  });
}

/**
 * Stripe as the payment provider (STRIPE_SECRET_KEY set). A booking's PaymentIntent is created with
 * metadata.bookingId (the webhook finds the booking by it) under the idempotency key
 * `payment-intent-<bookingId>`; refunds are created for the PaymentIntent under the caller's key.
 */
export function createStripeProvider(settings: StripeSettings, client: Stripe = stripeClient(settings)): PaymentProvider {
  return {
    name: 'stripe',

    async createPaymentIntent(req: CreatePaymentIntentRequest): Promise<CreatedPaymentIntent> {
      const intent = await client.paymentIntents.create(
        {
          amount: req.amountCents,
          currency: settings.currency,
          metadata: { bookingId: req.bookingId },
          automatic_payment_methods: { enabled: true },
        },
        { idempotencyKey: `payment-intent-${req.bookingId}` },
      );
      if (!intent.client_secret) throw new Error(`Stripe returned PaymentIntent ${intent.id} without a client secret`);
      return { paymentIntentId: intent.id, clientSecret: intent.client_secret };
    },

    async refund(req: RefundRequest): Promise<RefundResult> {
      // Confirm-endpoint payments (`token:...`) and other non-Stripe ids were never charged by Stripe.
      if (!req.paymentId.startsWith('pi_')) {
        throw new RefundRefusedError(`${req.paymentId} is not a Stripe PaymentIntent`, 'not_a_payment_intent');
      }
      try {
        const refund = await client.refunds.create(
          {
            payment_intent: req.paymentId,
            amount: req.amountCents,
            reason: 'requested_by_customer',
            metadata: { paymentId: req.paymentId },
          },
          { idempotencyKey: req.idempotencyKey },
        );
        return { refundId: refund.id, status: refund.status ?? 'pending' };
      } catch (err) {
        if (isStripeError(err) && REFUSALS.has(err.type)) {
          throw new RefundRefusedError(err.message, err.code ?? err.type);
        }
        throw err;
      }
    },
  };
}
