import { proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { ErrorCode } from '../domain/errorCodes';
import { findApplicationFailure } from '../domain/failures';
import { refundStatusOf, type RefundOrder, type RefundProgress } from '../domain/payments';
import { refundStatusSearchAttribute } from '../domain/searchAttributes';

// A refund is retried until the provider answers, with backoff from half a second up to five
// minutes between tries: an outage delays it, never loses it. Only a refusal (REFUND_REFUSED) stops it.
const { refundPayment } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '500 ms',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    nonRetryableErrorTypes: [ErrorCode.RefundRefused],
  },
});

/**
 * Refunds one payment and keeps `progress` (the workflow's status query) and the RefundStatus
 * search attribute up to date: PENDING while it is being tried, then SUCCEEDED or FAILED (refused).
 * `onChange` lets the workflow refresh its current details.
 */
export async function refundWithProgress(
  order: RefundOrder,
  progress: RefundProgress[],
  onChange: () => void,
): Promise<RefundProgress> {
  const entry: RefundProgress = {
    paymentId: order.paymentId,
    amountCents: order.amountCents,
    status: 'PENDING',
    refundId: null,
    failure: null,
  };
  progress.push(entry);
  publish(progress, onChange);
  try {
    entry.refundId = (await refundPayment(order)).refundId;
    entry.status = 'SUCCEEDED';
  } catch (err) {
    const failure = findApplicationFailure(err);
    if (failure?.type !== ErrorCode.RefundRefused) throw err;
    entry.status = 'FAILED';
    entry.failure = failure.message;
  }
  publish(progress, onChange);
  return entry;
}

function publish(progress: RefundProgress[], onChange: () => void): void {
  const status = refundStatusOf(progress);
  if (status) upsertSearchAttributes([{ key: refundStatusSearchAttribute, value: status }]);
  onChange();
}

/** For a workflow's current details: ` · refund pending: pi_1 (2000¢)`, or nothing without refunds. */
export function describeRefunds(progress: RefundProgress[]): string {
  return progress
    .map((r) => {
      const what = r.status === 'PENDING' ? 'refund pending' : r.status === 'FAILED' ? 'refund REFUSED' : 'refunded';
      return ` · ${what}: ${r.paymentId} (${r.amountCents}¢${r.failure ? `, ${r.failure}` : ''})`;
    })
    .join('');
}
