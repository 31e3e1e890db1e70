import { Client, Connection } from '@temporalio/client';
import { readEnv } from '../config/env';
import { createPool } from '../db/pool';
import { createApp } from './app';

async function main(): Promise<void> {
  const env = readEnv();
  const pool = createPool(env.databaseUrl, env.dbPoolSize);
  const connection = await Connection.connect({ address: env.temporalAddress });
  const temporal = new Client({ connection, namespace: env.temporalNamespace });
  const server = createApp({ env, pool, temporal }).listen(env.port, env.host, () => {
    console.log(`[api] listening on http://${env.host}:${env.port}`);
  });
  const stop = () => {
    server.close();
    void connection.close().then(() => pool.end());
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error('[api] fatal:', err);
  process.exit(1);
});
