import Router from '@koa/router';
import { findRefund } from '../../../db/queries/refunds';
import { startRefund } from '../../commands/startRefund';
import type { ApiDeps } from '../../deps';
import { paymentApplied } from '../../errors';
import { callerOf } from '../../policies/caller';
import { loadPaymentFor } from '../../policies/payments';

/**
 * Staff view of money received, and the staff refund: money that bought nothing is refunded
 * automatically; this (re)starts that refund by hand and shows where it stands. A payment that
 * bought its booking is refunded by cancelling the booking instead.
 */
export function paymentRoutes(deps: ApiDeps): Router {
  const router = new Router({ prefix: '/payments' });

  router.get('/:paymentId', async (ctx) => {
    const payment = await loadPaymentFor(deps, callerOf(ctx), ctx.params.paymentId, 'payment:read');
    ctx.body = { ...payment, refund: (await findRefund(deps.pool, payment.paymentId)) ?? null };
  });

  router.post('/:paymentId/refund', async (ctx) => {
    const payment = await loadPaymentFor(deps, callerOf(ctx), ctx.params.paymentId, 'payment:refund');
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
