import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { ActivityDeps } from '../activities';
import { HoldOutcomes } from '../activities/holdOutcomes';
import type { Env } from '../config/env';
import type { Pool } from '../db/pool';
import type { PaymentProvider } from '../payments/paymentProvider';
import { createBookingWorker } from '../worker/createBookingWorker';
import { CheckoutPaths, type LocalBookingWorker } from './checkout/eagerHold';

export interface ApiTemporal {
  /** The client the API uses; on the worker's NativeConnection when one runs here (eager start needs that). */
  temporal: Client;
  localWorker?: LocalBookingWorker;
  /** Stops the worker (finishing its tasks) and closes the connection. */
  close(): Promise<void>;
}

/**
 * The API's Temporal client, and with BOOKING_WORKER_IN_API a booking worker beside it on one
 * NativeConnection, so checkouts can start bookings eagerly. The worker runs workflows and
 * activities like `npm run worker` (which may run as well, on the same task queue); the hold
 * backstop and the seat-change pruner stay with `npm run worker`.
 */
export async function connectApiTemporal(
  env: Env,
  pool: Pool,
  payments: PaymentProvider,
  holdQuery?: ActivityDeps['holdQuery'],
): Promise<ApiTemporal> {
  if (!env.bookingWorkerInApi) {
    const connection = await Connection.connect({ address: env.temporalAddress });
    return { temporal: new Client({ connection, namespace: env.temporalNamespace }), close: () => connection.close() };
  }
  const connection = await NativeConnection.connect({ address: env.temporalAddress });
  const temporal = new Client({ connection, namespace: env.temporalNamespace });

  const holdOutcomes = new HoldOutcomes();
  const worker: Worker = await createBookingWorker({
    connection,
    namespace: env.temporalNamespace,
    taskQueue: env.taskQueue,
    pool,
    payments,
    holdOutcomes,
    holdQuery,
  });
  const running = worker.run();
  running.catch((err) => console.error('[api] the booking worker in this process stopped:', err));
  return {
    temporal,
    localWorker: { holdOutcomes, paths: new CheckoutPaths() },
    async close() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined);
      await connection.close();
    },
  };
}
