/**
 * The payment provider boundary: what Seatflow asks of whoever moves the money. Two
 * implementations: the built-in simulator (simulatorProvider.ts) and Stripe (stripeProvider.ts),
 * chosen by createPaymentProvider.ts. Payments themselves arrive as signed webhooks either way.
 */

export interface CreatePaymentIntentRequest {
  bookingId: string;
  amountCents: number;
}

/** What a checkout page needs to collect the payment (Stripe.js confirms it with the client secret). */
export interface CreatedPaymentIntent {
  paymentIntentId: string;
  clientSecret: string;
}

export interface RefundRequest {
  /** The payment to give back: a PaymentIntent id (or, with the simulator, any payment id). */
  paymentId: string;
  amountCents: number;
  /** The same key always means the same refund: asked twice, the provider refunds once. */
  idempotencyKey: string;
}

export interface RefundResult {
  refundId: string;
  /** The provider's status of the refund (`succeeded`, `pending`, ...). */
  status: string;
}

export interface PaymentProvider {
  readonly name: 'simulator' | 'stripe';
  /** One PaymentIntent per booking (asking again answers the same one), carrying metadata.bookingId. */
  createPaymentIntent(req: CreatePaymentIntentRequest): Promise<CreatedPaymentIntent>;
  /**
   * Refunds the payment, once per idempotency key. Throws RefundRefusedError when the provider says
   * no for good (already refunded, disputed, unknown payment); any other error is worth retrying.
   */
  refund(req: RefundRequest): Promise<RefundResult>;
}

/** The provider refused the refund for a business reason: asking again will not change its answer. */
export class RefundRefusedError extends Error {
  constructor(
    message: string,
    /** The provider's reason code, e.g. `charge_already_refunded`. */
    readonly code: string,
  ) {
    super(message);
    this.name = 'RefundRefusedError';
  }
}
