import { NativeConnection } from '@temporalio/worker';
import { readEnv } from '../config/env';
import { createPool } from '../db/pool';
import { createPaymentProvider } from '../payments/createPaymentProvider';
import { createBookingWorker } from './createBookingWorker';
import { startHoldBackstop } from './holdBackstop';
import { startSeatChangePruner } from './seatChangePruner';

async function main(): Promise<void> {
  const env = readEnv();
  const pool = createPool(env.databaseUrl, env.dbPoolSize);
  const connection = await NativeConnection.connect({ address: env.temporalAddress });
  const payments = createPaymentProvider(env, pool);
  const worker = await createBookingWorker({
    connection,
    namespace: env.temporalNamespace,
    taskQueue: env.taskQueue,
    pool,
    payments,
  });
  const stopBackstop = startHoldBackstop(pool, env.backstopGraceSeconds, env.backstopIntervalSeconds);
  const stopPruner = startSeatChangePruner(pool, env.seatChangesKeepSeconds);
  console.log(`[worker] payments and refunds through the ${payments.name}`);
  console.log(`[worker] polling task queue "${env.taskQueue}" on ${env.temporalAddress}`);
  try {
    // Returns after SIGINT/SIGTERM once in-flight tasks are done.
    await worker.run();
  } finally {
    stopBackstop();
    stopPruner();
    await connection.close();
    await pool.end();
  }
}

main().catch((err) => {
  console.error('[worker] fatal:', err);
  process.exit(1);
});
