/**
 * A booking worker as a process of its own, for tests that kill one (SIGKILL) mid-activity. Reads the
 * test stack's settings from the environment (DATABASE_URL, TEMPORAL_ADDRESS, TEMPORAL_TASK_QUEUE,
 * SEATFLOW_TEST_WORKFLOW_BUNDLE) and says `[worker] ready` once it polls.
 */
import fs from 'node:fs';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { readEnv } from '../../config/env';
import { createPool } from '../../db/pool';
import { createPaymentProvider } from '../../payments/createPaymentProvider';
import { createBookingWorker } from '../../worker/createBookingWorker';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const env = readEnv();
  const pool = createPool(env.databaseUrl, 10);
  const connection = await NativeConnection.connect({ address: env.temporalAddress });
  const bundlePath = process.env.SEATFLOW_TEST_WORKFLOW_BUNDLE ?? '';
  const worker = await createBookingWorker({
    connection,
    namespace: env.temporalNamespace,
    taskQueue: env.taskQueue,
    pool,
    payments: createPaymentProvider(env, pool),
    workflowBundle: { code: fs.readFileSync(bundlePath, 'utf8') },
  });
  const running = worker.run();
  console.log('[worker] ready');
  await running;
}

main().catch((err) => {
  console.error('[worker] fatal:', err);
  process.exit(1);
});
