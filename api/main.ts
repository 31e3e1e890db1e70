import { Client, Connection } from '@temporalio/client';
import { readEnv } from '../config/env';
import { createPool } from '../db/pool';
import { createPaymentProvider } from '../payments/createPaymentProvider';
import { startApiServer } from './server';

async function main(): Promise<void> {
  const env = readEnv();
  const pool = createPool(env.databaseUrl, env.dbPoolSize);
  const connection = await Connection.connect({ address: env.temporalAddress });
  const temporal = new Client({ connection, namespace: env.temporalNamespace });
  const api = await startApiServer({ env, pool, temporal, payments: createPaymentProvider(env, pool) });
  console.log(`[api] rate limits: counted ${api.rateLimits.store === 'redis' ? 'in Redis, shared by the API nodes' : "in this node's memory"}`);
  console.log(
    api.waitingRoom.store.kind === 'redis'
      ? `[api] waiting room: queues in Redis (${env.waitingRoomRedisPrefix}), shared by the API nodes`
      : "[api] waiting room: queues in this process's memory, for this one API node only (set REDIS_URL, or run a Redis on 127.0.0.1:6379 before npm start, to share them)",
  );
  console.log(`[api] listening on ${api.url}${env.redisUrl ? ' (cluster mode: Redis adapter)' : ''}`);
  const stop = async () => {
    await api.close();
    await connection.close();
    await pool.end();
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err) => {
  console.error('[api] fatal:', err);
  process.exit(1);
});
