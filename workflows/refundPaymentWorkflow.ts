import { setCurrentDetails, setHandler } from '@temporalio/workflow';
import { refundProgressQuery } from '../domain/messages';
import type { RefundOrder, RefundProgress } from '../domain/payments';
import { describeRefunds, refundWithProgress } from './refunds';

/**
 * Refunds a payment that reached no running booking workflow (its booking had already closed, or
 * does not exist), retried until the provider answers. Started by the webhook, workflow id
 * `refund-<paymentId>`, so a payment gets one of these at most.
 */
export async function refundPaymentWorkflow(order: RefundOrder): Promise<RefundProgress> {
  const refunds: RefundProgress[] = [];
  setHandler(refundProgressQuery, () => refunds[0] ?? null);
  const show = () => setCurrentDetails(`payment ${order.paymentId}${order.bookingId ? ` of booking ${order.bookingId}` : ''}${describeRefunds(refunds)}`);
  return refundWithProgress(order, refunds, show);
}
