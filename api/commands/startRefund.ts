import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { RefundOrder } from '../../domain/payments';
import { refundStatusSearchAttribute } from '../../domain/searchAttributes';
import { refundWorkflowId } from '../../domain/taskQueue';
import type { refundPaymentWorkflow } from '../../workflows';
import type { ApiDeps } from '../deps';

/**
 * Starts the refund of money that reached no running booking workflow (refundPaymentWorkflow,
 * id `refund-<paymentId>`). A payment gets one such workflow: starting it again is a no-op.
 */
export async function startRefund(deps: ApiDeps, order: RefundOrder): Promise<void> {
  try {
    await deps.temporal.workflow.start<typeof refundPaymentWorkflow>('refundPaymentWorkflow', {
      workflowId: refundWorkflowId(order.paymentId),
      taskQueue: deps.env.taskQueue,
      args: [order],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [{ key: refundStatusSearchAttribute, value: 'PENDING' }],
      staticSummary: `refund ${order.paymentId} (${order.amountCents}¢)${order.bookingId ? ` of booking ${order.bookingId}` : ''}`,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
