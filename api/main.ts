import { Runtime } from '@temporalio/worker';
import { readEnv } from '../config/env';
import { createPool } from '../db/pool';
import { createPaymentProvider } from '../payments/createPaymentProvider';
import { connectApiTemporal } from './localBookingWorker';
import { startApiServer } from './server';

async function main(): Promise<void> {
  const env = readEnv();
  // The workers inside this process (admission, and the booking worker with BOOKING_WORKER_IN_API)
  // must outlive the drain: requests in flight wait on them. So the SDK does not stop them on a
  // signal; the API's own stop below closes them after the drain.
  Runtime.install({ shutdownSignals: [] });
  const pool = createPool(env.databaseUrl, env.dbPoolSize);
  const payments = createPaymentProvider(env, pool);
  const { temporal, localWorker, close: closeTemporal } = await connectApiTemporal(env, pool, payments);
  const api = await startApiServer({ env, pool, temporal, payments, localWorker });
  if (localWorker) console.log(`[api] booking worker in this process: checkouts start eagerly on task queue "${env.taskQueue}"`);
  console.log(`[api] rate limits: counted ${api.rateLimits.store === 'redis' ? 'in Redis, shared by the API nodes' : "in this node's memory"}`);
  console.log(
    api.waitingRoom.store.kind === 'redis'
      ? `[api] waiting room: queues in Redis (${env.waitingRoomRedisPrefix}), shared by the API nodes`
      : "[api] waiting room: queues in this process's memory, for this one API node only (set REDIS_URL, or run a Redis on 127.0.0.1:6379 before npm start, to share them)",
  );
  console.log(`[api] listening on ${api.url}${env.redisUrl ? ' (cluster mode: Redis adapter)' : ''}`);

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    // A second signal while draining changes nothing: the drain has its own deadline.
    if (stopping) return;
    stopping = true;
    console.log(`[api] ${signal}: draining ${api.inFlight()} request(s) in flight (up to ${env.shutdownDrainMs / 1000} s)`);
    try {
      const { finished, cutShort } = await api.close();
      console.log(`[api] drained: ${finished} finished, ${cutShort} answered 503`);
      // How the checkouts learned their holds (eager and answered here, or asked of the workflow): for operators and the bench.
      if (localWorker) console.log(`[api] checkout paths: ${JSON.stringify(localWorker.paths)}`);
      // Only now: a handler still running would otherwise fail on a closed channel or pool.
      await closeTemporal();
      await pool.end();
      console.log('[api] stopped');
      process.exit(0);
    } catch (err) {
      console.error('[api] shutdown failed:', err);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  console.error('[api] fatal:', err);
  process.exit(1);
});
