/**
 * `npm run bench`: hold throughput and latency at BENCH_BUYERS concurrent buyers, in one run, for:
 *   - today's path: the API starts each booking with update-with-start, a separate worker runs it;
 *   - the eager path: the API runs the booking worker itself (BOOKING_WORKER_IN_API) and starts
 *     bookings eagerly, answering from the local hold;
 *   - the Temporal floor of each shape: the same processes and workflow with a hold that does nothing;
 *   - the raw hold SQL (hold_seats) straight against PostgreSQL: the database's ceiling.
 * It starts what it measures: its own Temporal dev server (a SQLite file with WAL, as `npm start`
 * runs it), a fresh database on the PostgreSQL that `npm start` would use, and the API and worker
 * processes of each shape, one shape at a time; and prints the CPU each part used while measured
 * (from /proc: the Temporal server, the API and worker processes, this database's PostgreSQL backends).
 *
 *   BENCH_BUYERS (64)  BENCH_SECONDS (15)  BENCH_WARMUP_SECONDS (3)
 *   DATABASE_URL: the PostgreSQL server to create the bench database on (as `npm start` finds one).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readEnv } from '../config/env';
import { migrate } from '../db/migrate';
import { createPool, type Pool } from '../db/pool';
import { insertEventWithSeats } from '../db/queries/events';
import { holdSeats } from '../db/queries/holds';
import { dropDatabase, ensureDatabase, findOrStartPostgres } from '../scripts/stack/postgres';
import { startTemporalDevServer } from '../scripts/stack/temporalServer';
import { cpuMeter, findProcesses, startPart, type Part } from './processes';
import { runClosedLoop, summarise, type LatencySummary } from './stats';
import { seatDealer } from './seatDealer';

const buyers = Number(process.env.BENCH_BUYERS ?? 64);
const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const warmupMs = Number(process.env.BENCH_WARMUP_SECONDS ?? 3) * 1000;
const SEATS_PER_EVENT = 100_000;
const log = (line: string) => console.log(`[bench] ${line}`);

interface Shape {
  label: string;
  api: string;
  worker?: string;
  workerInApi: boolean;
}

const SHAPES: Shape[] = [
  { label: 'today: update-with-start', api: 'api/main.ts', worker: 'worker/main.ts', workerInApi: false },
  { label: 'today floor (no-op hold)', api: 'api/main.ts', worker: 'load/floorWorker.ts', workerInApi: false },
  { label: 'eager: worker in API', api: 'api/main.ts', workerInApi: true },
  { label: 'eager floor (no-op hold)', api: 'load/floorApi.ts', workerInApi: true },
];

interface Result {
  label: string;
  holdsPerSecond: number;
  latency: LatencySummary;
  errors: number;
  cpu: Record<string, number>;
  note: string;
}

async function post(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function createBenchEvent(apiUrl: string, label: string): Promise<string> {
  const res = await post(`${apiUrl}/events`, {
    name: `bench ${label} ${new Date().toISOString()}`,
    totalSeats: SEATS_PER_EVENT,
    priceCents: 1000,
    holdSeconds: 900,
    maxSeatsPerBooking: 4,
  });
  if (res.status !== 201) throw new Error(`creating the bench event answered ${res.status}: ${JSON.stringify(res.json)}`);
  return String(res.json.id);
}


/** Runs the closed loop, measuring the CPU of `meter`'s groups over the measured part (after the warm-up). */
async function measure(meter: ReturnType<typeof cpuMeter>, attempt: () => Promise<boolean>) {
  const startMeter = setTimeout(() => meter.start(), warmupMs);
  const run = await runClosedLoop(buyers, seconds * 1000, warmupMs, attempt);
  const cpu = meter.stop();
  clearTimeout(startMeter);
  return { holdsPerSecond: run.ok / run.seconds, latency: summarise(run.latencies), errors: run.failed, cpu };
}

async function runShape(shape: Shape, base: Record<string, string>, groups: (parts: Part[]) => ReturnType<typeof cpuMeter>): Promise<Result> {
  const env = { ...base, TEMPORAL_TASK_QUEUE: `bench-${randomUUID().slice(0, 8)}`, BOOKING_WORKER_IN_API: String(shape.workerInApi) };
  const parts: Part[] = [];
  try {
    if (shape.worker) parts.push(await startPart(shape.worker, env, 'polling task queue'));
    const api = await startPart(shape.api, { ...env, HOST: '127.0.0.1', PORT: '0' }, 'listening on');
    parts.push(api);
    const apiUrl = /listening on (http:\/\/[^\s]+)/.exec(api.readyLine)?.[1];
    if (!apiUrl) throw new Error(`no URL in "${api.readyLine}"`);
    const eventId = await createBenchEvent(apiUrl, shape.label);
    const deal = seatDealer();
    const result = await measure(groups(parts), async () => {
      const res = await post(`${apiUrl}/bookings`, { eventId, userId: `bench-${randomUUID().slice(0, 8)}`, seatNumbers: deal() });
      return res.status === 201;
    });
    for (const part of parts) await part.stop();
    const note = parts.flatMap((p) => p.kept).map((line) => line.replace(/^.*checkout paths: /, 'paths ')).join(' ');
    return { label: shape.label, ...result, note };
  } finally {
    for (const part of parts) await part.stop();
  }
}

async function directSql(pool: Pool, apiEventId: string, meter: ReturnType<typeof cpuMeter>): Promise<Result> {
  const deal = seatDealer();
  const expiresAt = new Date(Date.now() + 900_000).toISOString();
  const result = await measure(meter, async () => {
    const outcome = await holdSeats(pool, { bookingId: randomUUID(), eventId: apiEventId, userId: 'bench-direct', seatNumbers: deal(), expiresAt, idempotencyKey: null });
    return outcome.kind === 'held';
  });
  return { label: 'raw hold SQL', ...result, note: '' };
}

/** Seats in more than one live booking, or live seats beyond capacity, over all the bench's events: must be 0. */
async function oversold(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM (
               SELECT event_id, seat FROM bookings, unnest(seat_numbers) AS seat
                WHERE status IN ('HELD', 'CONFIRMED') GROUP BY event_id, seat HAVING count(*) > 1) d)
          + (SELECT count(*) FROM seats WHERE status <> 'AVAILABLE' AND booking_id IS NULL) AS n`,
  );
  return Number(rows[0].n);
}

const fmt = (n: number | undefined, digits = 1) => (n !== undefined && Number.isFinite(n) ? n.toFixed(digits) : '–');

function printTable(results: Result[]): void {
  const head = `| path | holds/s | p50 ms | p99 ms | errors | CPU Temporal server | CPU API+worker | CPU PostgreSQL |`;
  console.log(head);
  console.log(`|---|---|---|---|---|---|---|---|`);
  for (const r of results) {
    console.log(
      `| ${r.label} | ${fmt(r.holdsPerSecond)} | ${fmt(r.latency.p50, 0)} | ${fmt(r.latency.p99, 0)} | ${r.errors} | ` +
        `${fmt(r.cpu.temporal, 0)} % | ${fmt(r.cpu.app, 0)} % | ${fmt(r.cpu.postgres, 0)} % |`,
    );
  }
}

async function main(): Promise<void> {
  const env = readEnv();
  const started = Date.now();
  const postgres = await findOrStartPostgres(env, log);
  const database = `seatflow_bench_${process.pid}_${Date.now()}`;
  const databaseUrl = await ensureDatabase(postgres.adminUrl, database);
  const pool = createPool(databaseUrl, buyers + 4);
  const sqlite = path.join(os.tmpdir(), `${database}.sqlite`);
  let temporal: Awaited<ReturnType<typeof startTemporalDevServer>> | undefined;
  try {
    await migrate(pool);
    temporal = await startTemporalDevServer(env, { dbFilename: sqlite }, log);
    const port = temporal.address.split(':').pop();
    const groupsOf = (pids: () => number[]) => ({
      temporal: () => findProcesses(['start-dev', `--port ${port} `]),
      app: pids,
      postgres: () => findProcesses(['postgres:', database]),
    });
    log(`${buyers} concurrent buyers, ${seconds} s per path after ${warmupMs / 1000} s warm-up; ${os.cpus().length} cores`);
    const base = {
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      // One loopback address and a new user per hold: no rate limit is what is measured.
      RATE_LIMIT_PER_USER: '0',
      RATE_LIMIT_PER_ADDRESS: '0',
      RATE_LIMIT_FAILED_HOLDS: '0',
    };
    const results: Result[] = [];
    for (const shape of SHAPES) {
      log(`measuring ${shape.label}`);
      results.push(await runShape(shape, base, (parts) => cpuMeter(groupsOf(() => parts.map((p) => p.child.pid ?? 0)))));
    }
    log('measuring raw hold SQL');
    const sqlEvent = await insertEventWithSeats(pool, {
      name: 'bench raw SQL',
      totalSeats: SEATS_PER_EVENT,
      priceCents: 1000,
      holdSeconds: 900,
      maxSeatsPerBooking: 4,
      startsAt: null,
    });
    results.push(await directSql(pool, sqlEvent.id, cpuMeter(groupsOf(() => [process.pid]))));
    const over = await oversold(pool);

    console.log('');
    console.log(`npm run bench: ${buyers} buyers, ${seconds} s each after ${warmupMs / 1000} s warm-up, ${os.cpus().length} cores, ${new Date().toISOString().slice(0, 10)}`);
    printTable(results);
    const [today, todayFloor, eager, eagerFloor, sql] = results;
    console.log('');
    console.log(`eager / today: ${fmt(eager.holdsPerSecond / today.holdsPerSecond, 2)}× holds/s, p99 ${fmt(eager.latency.p99 / today.latency.p99, 2)}×`);
    console.log(`today / its floor: ${fmt((100 * today.holdsPerSecond) / todayFloor.holdsPerSecond)} %; eager / its floor: ${fmt((100 * eager.holdsPerSecond) / eagerFloor.holdsPerSecond)} %`);
    console.log(`eager / raw SQL: ${fmt((100 * eager.holdsPerSecond) / sql.holdsPerSecond)} %; oversold seats ${over}`);
    for (const r of results) if (r.note) console.log(`${r.label}: ${r.note}`);
    log(`done in ${Math.round((Date.now() - started) / 1000)} s (CPU: % of one core while measured; API+worker is the API and worker processes, or this script for raw SQL)`);
    if (over > 0) process.exitCode = 1;
  } finally {
    await pool.end();
    await temporal?.stop();
    await dropDatabase(postgres.adminUrl, database).catch((err) => log(`could not drop ${database}: ${(err as Error).message}`));
    await postgres.stop();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${sqlite}${suffix}`, { force: true });
  }
}

main().catch((err) => {
  console.error('[bench] failed:', err);
  process.exit(1);
});
