import Router from '@koa/router';
import { z } from 'zod';
import { findPayment } from '../../../db/queries/payments';
import { findRefund } from '../../../db/queries/refunds';
import { authSettingsOf, requireRole } from '../../auth/authenticate';
import { startRefund } from '../../commands/startRefund';
import type { ApiDeps } from '../../deps';
import { paymentApplied, paymentNotFound } from '../../errors';

const PaymentIdSchema = z.string().min(1).max(255).regex(/^[\x21-\x7e]+$/);

/**
 * Staff view of money received, and the staff refund: money that bought nothing is refunded
 * automatically; this (re)starts that refund by hand and shows where it stands. A payment that
 * bought its booking is refunded by cancelling the booking instead.
 */
export function paymentRoutes(deps: ApiDeps): Router {
  const router = new Router({ prefix: '/payments' });
  const staff = requireRole(authSettingsOf(deps.env), 'staff', 'admin');

  const loadPayment = async (raw: string) => {
    const id = PaymentIdSchema.safeParse(raw);
    const payment = id.success ? await findPayment(deps.pool, id.data) : undefined;
    if (!payment) throw paymentNotFound(raw);
    return payment;
  };

  router.get('/:paymentId', staff, async (ctx) => {
    const payment = await loadPayment(ctx.params.paymentId);
    ctx.body = { ...payment, refund: (await findRefund(deps.pool, payment.paymentId)) ?? null };
  });

  router.post('/:paymentId/refund', staff, async (ctx) => {
    const payment = await loadPayment(ctx.params.paymentId);
    if (payment.disposition === 'APPLIED') throw paymentApplied(payment.paymentId);
    // One refund workflow per payment: asking again while it runs, or after it succeeded, is a no-op.
    await startRefund(deps, {
      paymentId: payment.paymentId,
      bookingId: payment.bookingId,
      amountCents: payment.amountCents,
      reason: 'UNAPPLIED',
    });
    ctx.status = 202;
    ctx.body = { ...payment, refund: (await findRefund(deps.pool, payment.paymentId)) ?? null };
  });

  return router;
}
