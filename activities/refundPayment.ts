import { ErrorCode } from '../domain/errorCodes';
import type { RefundOrder } from '../domain/payments';
import { beginRefundAttempt, recordRefundError, recordRefundSucceeded } from '../db/queries/refunds';
import { RefundRefusedError } from '../payments/paymentProvider';
import { businessFailure } from './businessFailure';
import type { ActivityDeps } from './deps';

export function createRefundPayment({ pool, payments }: ActivityDeps) {
  /**
   * Gives a payment back through the provider, once: the payment id is the idempotency key, and a
   * refund already recorded as SUCCEEDED is answered without asking again. Every try is counted in
   * the refunds row with its error; an outage is thrown to be retried (the caller retries forever),
   * a refusal is recorded FAILED and thrown as non-retryable REFUND_REFUSED.
   */
  return async function refundPayment(order: RefundOrder): Promise<{ refundId: string }> {
    const attempt = await beginRefundAttempt(pool, order);
    if (attempt.kind === 'done') return { refundId: attempt.refundId };
    if (attempt.kind === 'not-refundable') throw businessFailure(ErrorCode.RefundRefused, attempt.message);
    try {
      const refund = await payments.refund({
        paymentId: order.paymentId,
        amountCents: order.amountCents,
        idempotencyKey: order.paymentId,
      });
      await recordRefundSucceeded(pool, order.paymentId, { refundId: refund.refundId, providerStatus: refund.status });
      return { refundId: refund.refundId };
    } catch (err) {
      const refused = err instanceof RefundRefusedError;
      await recordRefundError(pool, order.paymentId, (err as Error).message ?? String(err), refused);
      if (refused) throw businessFailure(ErrorCode.RefundRefused, err.message, { code: err.code });
      throw err;
    }
  };
}
