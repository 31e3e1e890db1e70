import { type Client, WithStartWorkflowOperation, type WorkflowStartOptions } from '@temporalio/client';
import type { HoldOutcomes } from '../../activities/holdOutcomes';
import type { BookingState, BookingWorkflowInput, HoldResult } from '../../domain/booking';
import { holdUpdate } from '../../domain/messages';
import type { bookingWorkflow } from '../../workflows';

export type BookingStartOptions = WorkflowStartOptions<typeof bookingWorkflow> & {
  workflowIdConflictPolicy: 'USE_EXISTING';
};

/** How this node's checkouts learned their holds: for tests, the bench and the logs. */
export class CheckoutPaths {
  /** Started eagerly and answered from the hold this process ran: one round trip. */
  answeredLocally = 0;
  /** Started eagerly, but the hold's outcome came from the workflow (an attempt failed, or ran elsewhere). */
  eagerAskedWorkflow = 0;
  /** The server did not start it eagerly (no free slot, a workflow already running): update-with-start. */
  notEager = 0;
  /** No worker in this process: update-with-start, as always. */
  updateWithStart = 0;
}

/** The booking worker that runs inside this API node, and what its checkouts need of it. */
export interface LocalBookingWorker {
  holdOutcomes: HoldOutcomes;
  paths: CheckoutPaths;
}

// An eagerly started booking's first workflow task runs here, in a slot the start reserved; under a
// surge its hold may wait for a free local-activity slot. When the hold has not even started after
// this long (the task timed out and went elsewhere), ask the workflow instead.
const LOCAL_START_WAIT_MS = 5_000;

/** The hold, by update-with-start: the workflow answers once the hold is decided. */
export function holdByUpdateWithStart(temporal: Client, options: BookingStartOptions): Promise<BookingState> {
  const startWorkflowOperation = new WithStartWorkflowOperation<typeof bookingWorkflow>('bookingWorkflow', options);
  return temporal.workflow.executeUpdateWithStart(holdUpdate, { startWorkflowOperation });
}

/**
 * The hold, started eagerly: Temporal hands the first workflow task straight back to this node's
 * worker, whose hold (a local activity) reports its outcome here. HELD is answered from that report;
 * a refusal is thrown as the activity's ApplicationFailure, as the update would throw it. When the
 * start was not eager, or the outcome was not seen here, the workflow is asked (update-with-start on
 * the now running workflow, USE_EXISTING; once it has closed, the caller reads the booking's row),
 * so the answer is always the hold's real outcome.
 */
export async function holdEagerly(
  temporal: Client,
  local: LocalBookingWorker,
  options: BookingStartOptions,
  input: BookingWorkflowInput,
): Promise<BookingState> {
  const watch = local.holdOutcomes.watch(input.bookingId);
  let timer: NodeJS.Timeout | undefined;
  try {
    const handle = await temporal.workflow.start<typeof bookingWorkflow>('bookingWorkflow', { ...options, requestEagerStart: true });
    if (!handle.eagerlyStarted) {
      local.paths.notEager++;
      return await holdByUpdateWithStart(temporal, options);
    }
    const outcome = await Promise.race([
      watch.started.then(() => watch.outcome),
      new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), LOCAL_START_WAIT_MS))),
    ]);
    if (outcome?.kind === 'held') {
      local.paths.answeredLocally++;
      return heldState(handle.workflowId, input, outcome.result);
    }
    if (outcome?.kind === 'refused') {
      local.paths.answeredLocally++;
      throw outcome.failure;
    }
    local.paths.eagerAskedWorkflow++;
    return await holdByUpdateWithStart(temporal, options);
  } finally {
    clearTimeout(timer);
    watch.dispose();
  }
}

/**
 * The booking as the workflow's hold update answers it, right after the hold: the workflow's initial
 * state with the hold applied as workflows/bookingWorkflow.ts applies it (the seats a best-available
 * or GA hold picked, where they are, the GA area). The eager tests compare it with the workflow's.
 */
function heldState(workflowId: string, input: BookingWorkflowInput, hold: HoldResult): BookingState {
  return {
    id: input.bookingId,
    workflowId,
    status: 'HELD',
    eventId: input.eventId,
    userId: input.userId,
    seatNumbers: hold.seatNumbers ?? input.seatNumbers,
    ...(hold.seats ? { seats: hold.seats } : {}),
    ...(input.pick?.area ? { area: input.pick.area } : {}),
    amountCents: hold.amountCents,
    expiresAt: hold.expiresAt,
    appliedPaymentId: null,
    owedBackPaymentIds: [],
    lastPaymentFailure: null,
    holdExtensions: 0,
    refunds: [],
  };
}
