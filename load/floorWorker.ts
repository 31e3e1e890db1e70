/** `npm run bench`'s worker for the Temporal floor: worker/main.ts's booking worker, holding nothing (load/noopHold.ts). */
import { NativeConnection } from '@temporalio/worker';
import { readEnv } from '../config/env';
import { createPool } from '../db/pool';
import { createPaymentProvider } from '../payments/createPaymentProvider';
import { createBookingWorker } from '../worker/createBookingWorker';
import { noopHold } from './noopHold';

async function main(): Promise<void> {
  const env = readEnv();
  const pool = createPool(env.databaseUrl, env.dbPoolSize);
  const connection = await NativeConnection.connect({ address: env.temporalAddress });
  const worker = await createBookingWorker({
    connection,
    namespace: env.temporalNamespace,
    taskQueue: env.taskQueue,
    pool,
    payments: createPaymentProvider(env, pool),
    holdQuery: noopHold,
  });
  console.log(`[floor-worker] polling task queue "${env.taskQueue}"`);
  await worker.run();
  await connection.close();
  await pool.end();
}

main().catch((err) => {
  console.error('[floor-worker] fatal:', err);
  process.exit(1);
});
