/**
 * `npm run bench`'s API node for the Temporal floor: api/main.ts, but the in-process booking worker
 * (BOOKING_WORKER_IN_API) holds nothing (load/noopHold.ts). Never for real use.
 */
import { connectApiTemporal } from '../api/localBookingWorker';
import { startApiServer } from '../api/server';
import { readEnv } from '../config/env';
import { createPool } from '../db/pool';
import { createPaymentProvider } from '../payments/createPaymentProvider';
import { noopHold } from './noopHold';

async function main(): Promise<void> {
  const env = readEnv();
  const pool = createPool(env.databaseUrl, env.dbPoolSize);
  const payments = createPaymentProvider(env, pool);
  const { temporal, localWorker, close } = await connectApiTemporal(env, pool, payments, noopHold);
  const api = await startApiServer({ env, pool, temporal, payments, localWorker });
  console.log(`[floor-api] listening on ${api.url}`);
  process.once('SIGTERM', () => {
    void api.close().then(async () => {
      if (localWorker) console.log(`[floor-api] checkout paths: ${JSON.stringify(localWorker.paths)}`);
      await close();
      await pool.end();
    });
  });
}

main().catch((err) => {
  console.error('[floor-api] fatal:', err);
  process.exit(1);
});
