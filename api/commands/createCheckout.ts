import type { BookingRecord } from '../../domain/booking';
import type { ApiDeps } from '../deps';
import { bookingClosed, holdExpired } from '../errors';

export interface Checkout {
  bookingId: string;
  amountCents: number;
  provider: 'simulator' | 'stripe';
  paymentIntentId: string;
  /** For Stripe.js (`stripe.confirmPayment`); the webhook confirms the booking once it is paid. */
  clientSecret: string;
  expiresAt: string;
}

/**
 * The payment a held booking needs: a PaymentIntent for its amount with metadata.bookingId, the same
 * one however often it is asked for. Only while the hold lasts.
 */
export async function createCheckout(deps: ApiDeps, booking: BookingRecord): Promise<Checkout> {
  if (booking.status === 'EXPIRED' || (booking.status === 'HELD' && Date.parse(booking.expiresAt) <= Date.now())) {
    throw holdExpired();
  }
  if (booking.status !== 'HELD') throw bookingClosed(booking.status);
  const provider = deps.payments;
  const intent = await provider.createPaymentIntent({ bookingId: booking.id, amountCents: booking.amountCents });
  return {
    bookingId: booking.id,
    amountCents: booking.amountCents,
    provider: provider.name,
    paymentIntentId: intent.paymentIntentId,
    clientSecret: intent.clientSecret,
    expiresAt: booking.expiresAt,
  };
}
