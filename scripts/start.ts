/**
 * `npm start`: the whole system on one machine. Temporal dev server with its Web UI (unless
 * TEMPORAL_ADDRESS points elsewhere), PostgreSQL (DATABASE_URL, a local server, or an embedded one),
 * migrations, then the worker and the API as child processes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { isSet, readEnv } from '../config/env';
import { createPool } from '../db/pool';
import { migrate } from '../db/migrate';
import { ensureDatabase, findOrStartPostgres } from './stack/postgres';
import { findLocalRedis } from './stack/redis';
import { startTemporalDevServer } from './stack/temporalServer';

const log = (line: string) => console.log(`[start] ${line}`);

function runPart(entry: string, childEnv: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', entry], { env: childEnv, stdio: 'inherit' });
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

  let temporalAddress = env.temporalAddress;
  let stopTemporal = async () => {};
  let uiUrl = 'your Temporal server’s UI';
  if (!isSet('TEMPORAL_ADDRESS')) {
    const [, portText] = env.temporalAddress.split(':');
    const server = await startTemporalDevServer(
      env,
      { port: Number(portText) || 7233, uiPort: env.temporalUiPort, dbFilename: path.join(env.dataDir, 'temporal.sqlite') },
      log,
    );
    temporalAddress = server.address;
    stopTemporal = server.stop;
    uiUrl = `http://127.0.0.1:${env.temporalUiPort}`;
  }

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
    TEMPORAL_ADDRESS: temporalAddress,
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
  };
  const children = [
    runPart(path.join(env.projectRoot, 'worker/main.ts'), childEnv),
    runPart(path.join(env.projectRoot, 'api/main.ts'), childEnv),
  ];
  log(`API          http://${env.host}:${env.port}  (health: /health)`);
  log(`Temporal UI  ${uiUrl}  (try: BookingStatus="HELD")`);
  log(`Temporal     ${temporalAddress}`);

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((resolve) => (c.exitCode !== null ? resolve(null) : c.once('exit', resolve)))));
    await stopTemporal();
    await postgres.stop();
    process.exit(code);
  };
  for (const child of children) {
    child.once('exit', (code) => {
      if (!stopping) {
        log(`a part exited (code ${code}); stopping everything`);
        void stop(code ?? 1);
      }
    });
  }
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
}

main().catch((err) => {
  console.error('[start] failed:', err);
  process.exit(1);
});
