import { WorkflowNotFoundError } from '@temporalio/client';
import type { EventRecord } from '../../domain/event';
import { admissionTaskQueue, admissionWorkflowId, saleChangedSignal } from '../../domain/admission';
import { eventIdSearchAttribute } from '../../domain/searchAttributes';
import type { ApiDeps } from '../deps';

/**
 * Starts the event's admission workflow if its room is on and none runs, or tells the running one
 * that the sale changed (signal-with-start: one call, no race between two API nodes). A room
 * switched off is told too, and its workflow ends.
 */
export async function ensureAdmission(deps: Pick<ApiDeps, 'temporal' | 'env'>, event: EventRecord): Promise<void> {
  const workflowId = admissionWorkflowId(event.id);
  if (!event.waitingRoom) {
    await deps.temporal.workflow
      .getHandle(workflowId)
      .signal(saleChangedSignal)
      .catch((err: unknown) => {
        // No room ever, or its workflow already ended: nothing to tell.
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      });
    return;
  }
  await deps.temporal.workflow.signalWithStart('admissionWorkflow', {
    workflowId,
    taskQueue: deps.env.taskQueue,
    args: [
      {
        eventId: event.id,
        activityTaskQueue: admissionTaskQueue(deps.env.taskQueue),
        tickMs: deps.env.admissionTickMs,
        minuteMs: deps.env.admissionMinuteMs,
      },
    ],
    signal: saleChangedSignal,
    typedSearchAttributes: [{ key: eventIdSearchAttribute, value: event.id }],
  });
}
