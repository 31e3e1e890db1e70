import { proxyActivities, setCurrentDetails, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { NON_RETRYABLE_FAILURES } from '../domain/errorCodes';
import { cancellationStatusQuery } from '../domain/messages';
import type { CancellationState, CancellationStep, CancellationWorkflowInput, RefundProgress } from '../domain/payments';
import { describeRefunds, refundWithProgress } from './refunds';

// Every step is idempotent and retried until it succeeds; only business refusals stop one.
const { beginCancellation, voidTickets, completeCancellation, compensateCancellation } = proxyActivities<Activities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '200 ms', maximumInterval: '30 seconds', nonRetryableErrorTypes: NON_RETRYABLE_FAILURES },
});

/**
 * The cancellation of a confirmed booking, as a saga whose steps each show in the history:
 * check (confirmed, before the event's cutoff) → void the tickets → refund the applied payment
 * (retried until the provider answers) → release the seats and mark the booking CANCELLED.
 * If the provider refuses the refund, the compensation restores the tickets and the booking stays
 * CONFIRMED (its cancellation COMPENSATED, with the reason). A check that fails ends the workflow
 * with CANCELLATION_CLOSED or NOT_CANCELLABLE. Workflow id `cancel-<bookingId>`.
 */
export async function cancellationWorkflow(input: CancellationWorkflowInput): Promise<CancellationState> {
  const state: CancellationState = { bookingId: input.bookingId, step: 'CHECKING', outcome: null, ticketsVoided: 0, refund: null };
  const refunds: RefundProgress[] = [];
  setHandler(cancellationStatusQuery, () => state);

  const show = () => {
    state.refund = refunds[0] ?? null;
    setCurrentDetails(`**${state.step}** · booking ${input.bookingId}${state.outcome ? ` · ${state.outcome}` : ''}${describeRefunds(refunds)}`);
  };
  const step = (next: CancellationStep) => {
    state.step = next;
    show();
  };

  step('CHECKING');
  const begun = await beginCancellation(input.bookingId);
  if (begun.alreadyCancelled) return finish('CANCELLED');

  step('VOIDING_TICKETS');
  state.ticketsVoided = await voidTickets(input.bookingId);

  if (begun.payment) {
    step('REFUNDING');
    const refund = await refundWithProgress(
      { ...begun.payment, bookingId: input.bookingId, reason: 'CANCELLATION' },
      refunds,
      show,
    );
    if (refund.status === 'FAILED') {
      step('COMPENSATING');
      await compensateCancellation(input.bookingId, `refund refused: ${refund.failure ?? 'no reason given'}`);
      return finish('COMPENSATED');
    }
  }

  step('RELEASING_SEATS');
  await completeCancellation(input.bookingId);
  return finish('CANCELLED');

  function finish(outcome: 'CANCELLED' | 'COMPENSATED'): CancellationState {
    state.outcome = outcome;
    step('DONE');
    return state;
  }
}
