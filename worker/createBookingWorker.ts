import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import type { HoldOutcomes } from '../activities/holdOutcomes';
import type { Pool } from '../db/pool';
import type { PaymentProvider } from '../payments/paymentProvider';

export interface BookingWorkerDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  pool: Pool;
  /** Who refunds money (createPaymentProvider picks it from the settings). */
  payments: PaymentProvider;
  /** A pre-built bundle (tests build one per run); otherwise the workflows are bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** On shutdown, activities running may finish for this long before they are cancelled (the SDK's default otherwise). */
  shutdownGraceMs?: number;
  /** Set for the worker inside an API node: its holds report to that node's checkouts. */
  holdOutcomes?: HoldOutcomes;
  /** The hold's SQL, replaced only by `npm run bench`'s floor. */
  holdQuery?: ActivityDeps['holdQuery'];
}

export async function createBookingWorker(deps: BookingWorkerDeps): Promise<Worker> {
  const code = deps.workflowBundle
    ? { workflowBundle: deps.workflowBundle }
    : { workflowsPath: require.resolve('../workflows') };
  return Worker.create({
    connection: deps.connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue,
    activities: createActivities({
      pool: deps.pool,
      payments: deps.payments,
      holdOutcomes: deps.holdOutcomes,
      holdQuery: deps.holdQuery,
    }),
    ...code,
    ...(deps.shutdownGraceMs !== undefined ? { shutdownGraceTime: deps.shutdownGraceMs } : {}),
    // Each activity is one short transaction: allow as many as the pool has connections.
    maxConcurrentActivityTaskExecutions: 100,
    maxConcurrentLocalActivityExecutions: 100,
    // Booking tasks are tiny (a hold, a timer): many in flight and more pollers keep a surge moving.
    maxConcurrentWorkflowTaskExecutions: 120,
    maxConcurrentWorkflowTaskPolls: 40,
    maxCachedWorkflows: 5000,
    // Inside an API node most first tasks come back in the start's answer, each needing a free task
    // slot (or the start is not eager): more slots, and fewer pollers (each holds a slot and a long
    // poll on the server) for the later tasks (timers, payments).
    ...(deps.holdOutcomes ? { maxConcurrentWorkflowTaskExecutions: 400, maxConcurrentWorkflowTaskPolls: 8 } : {}),
  });
}
