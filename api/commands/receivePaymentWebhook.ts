import Stripe from 'stripe';
import { z } from 'zod';
import { paymentFailedSignal, paymentSucceededSignal } from '../../domain/messages';
import { bookingWorkflowId } from '../../domain/taskQueue';
import { findBooking } from '../../db/queries/bookings';
import { markPaymentEventProcessed, recordOwedBackPayment, rememberPaymentEvent } from '../../db/queries/payments';
import type { ApiDeps } from '../deps';
import { invalidSignature } from '../errors';
import { isWorkflowClosed } from './bookingFailures';
import { startRefund } from './startRefund';

const HANDLED_TYPES = new Set(['payment_intent.succeeded', 'payment_intent.payment_failed']);

// The part of a PaymentIntent we rely on; anything else in it is ignored.
const PaymentIntentSchema = z.object({
  id: z.string().min(1),
  amount: z.number().int().nonnegative(),
  amount_received: z.number().int().nonnegative().optional(),
  metadata: z.record(z.string(), z.string()).default({}),
  last_payment_error: z.object({ message: z.string().optional() }).nullish(),
});

export interface WebhookReceipt {
  received: true;
  duplicate?: true;
  ignored?: true;
}

/**
 * Verifies a Stripe-format webhook and hands the payment to its booking's workflow (or, when that
 * has closed, records it owed back and starts its refund). The event is remembered first and marked
 * processed last, so a redelivery after a crash is processed again, and a redelivery after success
 * has no effect.
 */
export async function receivePaymentWebhook(
  deps: ApiDeps,
  rawBody: Buffer,
  signature: string | undefined,
): Promise<WebhookReceipt> {
  const receivedAt = new Date().toISOString();
  if (!signature) throw invalidSignature('Missing Stripe-Signature header');
  let event: Stripe.Event;
  try {
    event = Stripe.webhooks.constructEvent(rawBody, signature, deps.env.stripeWebhookSecret);
  } catch (err) {
    throw invalidSignature(`Webhook signature rejected: ${(err as Error).message}`);
  }
  if (!HANDLED_TYPES.has(event.type)) return { received: true, ignored: true };

  const parsed = PaymentIntentSchema.safeParse(event.data.object);
  if (!parsed.success) return { received: true, ignored: true };
  const intent = parsed.data;
  const bookingId = intent.metadata.bookingId ?? null;

  const { alreadyProcessed } = await rememberPaymentEvent(deps.pool, {
    id: event.id,
    type: event.type,
    bookingId,
    payload: event,
  });
  if (alreadyProcessed) return { received: true, duplicate: true };

  const booking = bookingId && z.uuid().safeParse(bookingId).success ? await findBooking(deps.pool, bookingId) : undefined;
  const amountCents = intent.amount_received ?? intent.amount;
  if (event.type === 'payment_intent.succeeded') {
    const payment = { paymentId: intent.id, amountCents, source: 'webhook' as const, providerEventId: event.id, receivedAt };
    let delivered = false;
    if (booking) {
      try {
        await deps.temporal.workflow.getHandle(bookingWorkflowId(booking.id)).signal(paymentSucceededSignal, payment);
        delivered = true;
      } catch (err) {
        if (!isWorkflowClosed(err)) throw err;
      }
    }
    // No live booking to buy: the money is owed back and refunded (nothing happens to a payment
    // that had bought the booking: a redelivery of it is still APPLIED).
    if (!delivered) {
      const order = { paymentId: intent.id, bookingId: booking?.id ?? null, amountCents };
      const disposition = await recordOwedBackPayment(deps.pool, { ...order, providerEventId: event.id });
      if (disposition === 'OWED_BACK') await startRefund(deps, { ...order, reason: 'UNAPPLIED' });
    }
  } else if (booking) {
    const reason = intent.last_payment_error?.message ?? 'payment failed';
    try {
      await deps.temporal.workflow.getHandle(bookingWorkflowId(booking.id)).signal(paymentFailedSignal, {
        paymentId: intent.id,
        reason,
      });
    } catch (err) {
      if (!isWorkflowClosed(err)) throw err;
    }
  }
  await markPaymentEventProcessed(deps.pool, event.id);
  return { received: true };
}
