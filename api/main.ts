import { readEnv } from '../config/env';
import { createPool } from '../db/pool';
import { createPaymentProvider } from '../payments/createPaymentProvider';
import { connectApiTemporal } from './localBookingWorker';
import { startApiServer } from './server';

async function main(): Promise<void> {
  const env = readEnv();
  const pool = createPool(env.databaseUrl, env.dbPoolSize);
  const payments = createPaymentProvider(env, pool);
  const { temporal, localWorker, close: closeTemporal } = await connectApiTemporal(env, pool, payments);
  const api = await startApiServer({ env, pool, temporal, payments, localWorker });
  if (localWorker) console.log(`[api] booking worker in this process: checkouts start eagerly on task queue "${env.taskQueue}"`);
  console.log(`[api] rate limits: counted ${api.rateLimits.store === 'redis' ? 'in Redis, shared by the API nodes' : "in this node's memory"}`);
  console.log(`[api] listening on ${api.url}${env.redisUrl ? ' (cluster mode: Redis adapter)' : ''}`);
  const stop = async () => {
    await api.close();
    // How the checkouts learned their holds (eager and answered here, or asked of the workflow): for operators and the bench.
    if (localWorker) console.log(`[api] checkout paths: ${JSON.stringify(localWorker.paths)}`);
    await closeTemporal();
    await pool.end();
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err) => {
  console.error('[api] fatal:', err);
  process.exit(1);
});
