/**
 * The stack a load script runs against: `LOAD_API_URL` (a running stack, e.g. `npm start`), or one
 * it starts and stops itself, shaped like `npm start` (a Temporal dev server, a database of its
 * own on the local PostgreSQL, the worker and the API as child processes) but on free ports, so
 * it never disturbs a stack that is already running. Redis: REDIS_URL, else 127.0.0.1:6379 if it
 * answers, else the API's memory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { readEnv } from '../config/env';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { ensureDatabase, findOrStartPostgres } from '../scripts/stack/postgres';
import { findLocalRedis } from '../scripts/stack/redis';
import { startTemporalDevServer } from '../scripts/stack/temporalServer';
import { cpuSeconds } from './processes';
import { freePort } from '../scripts/stack/freePort';

export interface LoadStack {
  apiUrl: string;
  databaseUrl: string;
  /** What it runs on, for the figures' notes. */
  description: string;
  stop(): Promise<void>;
}

const log = (line: string) => console.log(`[load] ${line}`);

// The stack counts as settled once its API and worker use less than this share of one core for
// SETTLE_QUIET_SECONDS in a row: a worker still bundling the workflow code (seconds of CPU) is not
// what a scenario means to measure.
const SETTLE_CPU_SHARE = 0.15;
const SETTLE_QUIET_SECONDS = 2;
const SETTLE_MAX_MS = 90_000;

/** Waits until `pids` are quiet (see SETTLE_CPU_SHARE), at most SETTLE_MAX_MS; answers the seconds waited. */
async function settle(pids: number[]): Promise<number> {
  const started = Date.now();
  const used = () => pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  let last = used();
  let quiet = 0;
  while (quiet < SETTLE_QUIET_SECONDS && Date.now() - started < SETTLE_MAX_MS) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const now = used();
    quiet = now - last < SETTLE_CPU_SHARE ? quiet + 1 : 0;
    last = now;
  }
  return (Date.now() - started) / 1000;
}


async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`the API at ${url} did not become healthy in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** `extraEnv`: settings for a stack this starts (ignored for LOAD_API_URL). */
export async function loadStack(extraEnv: Record<string, string>): Promise<LoadStack> {
  const env = readEnv();
  if (process.env.LOAD_API_URL) {
    return { apiUrl: process.env.LOAD_API_URL, databaseUrl: env.databaseUrl, description: `running stack at ${process.env.LOAD_API_URL}`, stop: async () => {} };
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'seatflow-load-'));
  const postgres = await findOrStartPostgres(env, log);
  const database = `seatflow_load_${process.pid}`;
  const databaseUrl = await ensureDatabase(postgres.adminUrl, database);
  const pool = createPool(databaseUrl, 2);
  await migrate(pool);
  await pool.end();
  const temporal = await startTemporalDevServer(env, { port: await freePort() }, log);
  const redisUrl = env.redisUrl ?? (await findLocalRedis());
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: `load-${randomUUID()}`,
    PORT: String(port),
    SEATFLOW_DATA_DIR: dataDir,
    ...(redisUrl
      ? {
          REDIS_URL: redisUrl,
          REDIS_CHANNEL_PREFIX: `seatflow-load-${randomUUID()}`,
          RATE_LIMIT_REDIS_PREFIX: `seatflow-load-${randomUUID()}`,
          WAITING_ROOM_REDIS_PREFIX: `seatflow-load-${randomUUID()}`,
        }
      : {}),
    ...extraEnv,
  };
  const children: ChildProcess[] = ['worker/main.ts', 'api/main.ts'].map((entry) =>
    spawn(process.execPath, ['--import', 'tsx', path.join(env.projectRoot, entry)], { env: childEnv, stdio: ['ignore', 'ignore', 'inherit'] }),
  );
  const apiUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((resolve) => (c.exitCode !== null ? resolve(null) : c.once('exit', resolve)))));
    await temporal.stop();
    const admin = new pg.Client({ connectionString: postgres.adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    await postgres.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(apiUrl, 120_000);
    const waited = await settle(children.flatMap((c) => (c.pid === undefined ? [] : [c.pid])));
    log(`API and worker settled (under ${SETTLE_CPU_SHARE * 100} % of a core for ${SETTLE_QUIET_SECONDS} s) after ${waited.toFixed(0)} s`);
  } catch (err) {
    await stop();
    throw err;
  }
  log(`stack up: API ${apiUrl}, Temporal ${temporal.address}, database ${database}, ${redisUrl ? `Redis ${redisUrl}` : 'no Redis (queues in the API\'s memory)'}`);
  return { apiUrl, databaseUrl, description: `own stack (API${extraEnv.BOOKING_WORKER_IN_API === 'true' ? ' with BOOKING_WORKER_IN_API=true' : ''} and worker processes, ${redisUrl ? 'Redis' : 'in-process queues'})`, stop };
}

/** Writes the run's JSON summary under artifacts/ and answers its path. */
export function writeArtifact(name: string, summary: unknown): string {
  const dir = path.resolve(__dirname, '..', 'artifacts');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`);
  return file;
}
