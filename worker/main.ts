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
    shutdownGraceMs: env.shutdownDrainMs,
  });
  const stopBackstop = startHoldBackstop(pool, env.backstopGraceSeconds, env.backstopIntervalSeconds);
  const stopPruner = startSeatChangePruner(pool, env.seatChangesKeepSeconds);
  console.log(`[worker] payments and refunds through the ${payments.name}`);
  console.log(`[worker] polling task queue "${env.taskQueue}" on ${env.temporalAddress}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => console.log(`[worker] ${signal}: finishing the tasks in flight (up to ${env.shutdownDrainMs / 1000} s)`));
  }
  try {
    // The SDK calls worker.shutdown() on SIGINT/SIGTERM; run() returns once the tasks in flight are done.
    await worker.run();
  } finally {
    stopBackstop();
    stopPruner();
    // Only after the worker stopped polling and its activities ended: they use both.
    await connection.close();
    await pool.end();
  }
  console.log('[worker] stopped');
}

main().catch((err) => {
  console.error('[worker] fatal:', err);
  process.exit(1);
});
