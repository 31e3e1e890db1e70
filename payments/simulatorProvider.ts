import { createHash } from 'node:crypto';
import type { Pool } from '../db/pool';
import { recordSimulatedRefund, takeRefundFault } from '../db/queries/simulatedPayments';
import {
  RefundRefusedError,
  type CreatedPaymentIntent,
  type CreatePaymentIntentRequest,
  type PaymentProvider,
  type RefundRequest,
  type RefundResult,
} from './paymentProvider';

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The built-in payment provider (no STRIPE_SECRET_KEY). Ids are derived from what they stand for, so
 * the same booking or idempotency key always gives the same id. Refunds are recorded in PostgreSQL
 * (`simulated_refunds`, one per idempotency key). Faults planned in `simulated_refund_faults`
 * (db/queries/simulatedPayments.ts injectRefundFault) make the next refunds of a payment fail:
 * UNAVAILABLE as an outage, REFUSED as a final refusal.
 */
export function createSimulatorProvider(pool: Pool): PaymentProvider {
  return {
    name: 'simulator',

    async createPaymentIntent(req: CreatePaymentIntentRequest): Promise<CreatedPaymentIntent> {
      const paymentIntentId = `pi_sim_${digest(`payment-intent:${req.bookingId}`).slice(0, 24)}`;
      return { paymentIntentId, clientSecret: `${paymentIntentId}_secret_${digest(`secret:${paymentIntentId}`).slice(0, 16)}` };
    },

    async refund(req: RefundRequest): Promise<RefundResult> {
      const fault = await takeRefundFault(pool, req.paymentId);
      if (fault === 'UNAVAILABLE') throw new Error(`simulated provider outage refunding ${req.paymentId}`);
      if (fault === 'REFUSED') {
        throw new RefundRefusedError(`the simulated provider refused to refund ${req.paymentId}`, 'charge_disputed');
      }
      const refund = await recordSimulatedRefund(pool, {
        refundId: `re_sim_${digest(`refund:${req.idempotencyKey}`).slice(0, 24)}`,
        idempotencyKey: req.idempotencyKey,
        paymentId: req.paymentId,
        amountCents: req.amountCents,
      });
      return { refundId: refund.refundId, status: 'succeeded' };
    },
  };
}
