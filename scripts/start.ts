/**
 * `npm start`: the whole system on one machine. Temporal dev server with its Web UI (unless
 * TEMPORAL_ADDRESS points elsewhere), PostgreSQL (DATABASE_URL, a local server, or an embedded one),
 * migrations, then the worker and the API as child processes. The dev server, the worker and the
 * API are supervised: one that dies is logged and started again with back-off, the rest stay up.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { isSet, readEnv, type Env } from '../config/env';
import { createPool } from '../db/pool';
import { migrate } from '../db/migrate';
import { ensureDatabase, findOrStartPostgres } from './stack/postgres';
import { findLocalRedis } from './stack/redis';
import { superviseChild, type SupervisedChild } from './stack/supervisedChild';
import { resolveTemporalCli } from './stack/temporalCli';
import { spawnTemporalDevServer, waitForTemporal } from './stack/temporalProcess';
import { startTemporalDevServer } from './stack/temporalServer';

const log = (line: string) => console.log(`[start] ${line}`);

interface Temporal {
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
}

/** The launcher's own dev server: a supervised child process on `.data/temporal.sqlite`, or the SDK's download (unsupervised) without a CLI. */
async function startTemporal(env: Env): Promise<Temporal> {
  if (isSet('TEMPORAL_ADDRESS')) return { address: env.temporalAddress, uiUrl: 'your Temporal server’s UI', stop: async () => {} };
  const dbFilename = path.join(env.dataDir, 'temporal.sqlite');
  const uiUrl = `http://127.0.0.1:${env.temporalUiPort}`;
  const cli = await resolveTemporalCli(env, log);
  if (!cli) {
    log('no Temporal CLI and no Go toolchain: letting the SDK download the dev server (not restarted if it dies)');
    const server = await startTemporalDevServer(env, { port: env.temporalDevPort, uiPort: env.temporalUiPort, dbFilename }, log);
    return { address: server.address, uiUrl, stop: server.stop };
  }
  const address = `127.0.0.1:${env.temporalDevPort}`;
  const options = { cli, port: env.temporalDevPort, uiPort: env.temporalUiPort, namespace: env.temporalNamespace, dbFilename };
  const server = await superviseChild(
    {
      name: 'Temporal dev server',
      spawn: () => spawnTemporalDevServer(options),
      ready: (child) => waitForTemporal(address, env.temporalNamespace, child),
    },
    log,
  );
  return { address, uiUrl, stop: () => server.stop() };
}

async function main(): Promise<void> {
  const env = readEnv();
  fs.mkdirSync(env.dataDir, { recursive: true });

  const postgres = await findOrStartPostgres(env, log);
  const databaseUrl = isSet('DATABASE_URL') ? env.databaseUrl : await ensureDatabase(postgres.adminUrl, 'seatflow');
  const pool = createPool(databaseUrl, 2);
  const ran = await migrate(pool);
  await pool.end();
  log(`database ready (${ran.length} migration(s) applied)`);

  const temporal = await startTemporal(env);
  const redisUrl = env.redisUrl ?? (await findLocalRedis());
  log(
    env.redisUrl
      ? `Redis        ${env.redisUrl} (REDIS_URL)`
      : redisUrl
        ? `Redis        ${redisUrl} (found on this machine): waiting-room queues, rate limits and live updates shared there`
        : "Redis        none (REDIS_URL unset, nothing on 127.0.0.1:6379): waiting-room queues and rate limits in the API's memory, one API node only",
  );
  const childEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporal.address,
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
  };
  // Each part in its own process group: a Ctrl-C in the terminal reaches only the launcher, which stops them in order.
  const part = (name: string, entry: string) =>
    superviseChild(
      { name, spawn: () => spawn(process.execPath, ['--import', 'tsx', path.join(env.projectRoot, entry)], { env: childEnv, stdio: 'inherit', detached: true }) },
      log,
    );
  const parts: SupervisedChild[] = [await part('worker', 'worker/main.ts'), await part('API', 'api/main.ts')];
  log(`API          http://${env.host}:${env.port}  (health: /health)`);
  log(`Temporal UI  ${temporal.uiUrl}  (try: BookingStatus="HELD")`);
  log(`Temporal     ${temporal.address}`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log('stopping: the API and the worker drain first');
    // Both drain for up to SHUTDOWN_DRAIN_SECONDS; the grace on top covers closing their connections.
    await Promise.all(parts.map((p) => p.stop(env.shutdownDrainMs + 15_000)));
    await temporal.stop();
    await postgres.stop();
    log('stopped');
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err) => {
  console.error('[start] failed:', err);
  process.exit(1);
});
