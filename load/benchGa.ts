/**
 * `npm run bench:ga`: general-admission holds next to seated holds, in one run, against the running
 * stack (`npm start`). Each round measures, side by side, through the full durable path (API →
 * update-with-start → workflow → hold activity → PostgreSQL): seated holds of chosen seats (as
 * `npm run bench`), GA holds of places in one area, and best-available holds; then the seated and GA
 * hold SQL straight against PostgreSQL at the same concurrency. Buyers take 1–2 seats or places.
 *
 *   BENCH_API_URL (http://127.0.0.1:3000)  BENCH_BUYERS (64)  BENCH_SECONDS (15)  BENCH_ROUNDS (2)
 *   DATABASE_URL: the stack's database (the same default as the API's).
 * The stack needs RATE_LIMIT_PER_ADDRESS=0 (all buyers share one address) and
 * LAYOUT_BODY_LIMIT_BYTES of 64 KiB or more (the seated layout lists 2,000 rows).
 */
import { randomUUID } from 'node:crypto';
import { readEnv } from '../config/env';
import { createPool, type Pool } from '../db/pool';
import { holdSeats, type HoldOutcome } from '../db/queries/holds';
import { holdPickedSeats } from '../db/queries/pickedHolds';
import type { LayoutInput } from '../domain/layout';
import { median, runClosedLoop, summarise, type LatencySummary } from './stats';
import { seatDealer } from './seatDealer';

const apiUrl = process.env.BENCH_API_URL ?? 'http://127.0.0.1:3000';
const buyers = Number(process.env.BENCH_BUYERS ?? 64);
const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const warmupMs = 3000;

interface RoundResult {
  holdsPerSecond: number;
  latency: LatencySummary;
  errors: number;
}

async function post(path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${apiUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

// 100,000 seats (40 sections of 50 rows of 50) or one GA area of 100,000 places, 10.00 each.
const SEATED: LayoutInput = {
  categories: [{ key: 'n', name: 'Normal', priceCents: 1000 }],
  sections: Array.from({ length: 40 }, (_, s) => ({
    section: `S${s + 1}`,
    category: 'n',
    rows: Array.from({ length: 50 }, (_, r) => ({ row: String(r + 1), seats: 50 })),
  })),
  areas: [],
};
const GA: LayoutInput = {
  categories: [{ key: 'ga', name: 'General admission', priceCents: 1000 }],
  sections: [],
  areas: [{ area: 'Field', category: 'ga', capacity: 100_000 }],
};

async function createBenchEvent(label: string, layout: LayoutInput): Promise<string> {
  const res = await post('/events', { name: `bench:ga ${label} ${new Date().toISOString()}`, holdSeconds: 900, layout });
  if (res.status !== 201) throw new Error(`creating the ${label} event answered ${res.status}: ${JSON.stringify(res.json)}`);
  return String(res.json.id);
}


const quantityOf = (() => {
  let turn = 0;
  return () => (turn++ % 2) + 1;
})();

async function durable(label: string, layout: LayoutInput, body: () => Record<string, unknown>): Promise<RoundResult> {
  const eventId = await createBenchEvent(label, layout);
  const run = await runClosedLoop(buyers, seconds * 1000, warmupMs, async () => {
    const res = await post('/bookings', { eventId, userId: `bench-${randomUUID().slice(0, 8)}`, ...body() });
    return res.status === 201;
  });
  return { holdsPerSecond: run.ok / run.seconds, latency: summarise(run.latencies), errors: run.failed };
}

async function direct(pool: Pool, label: string, layout: LayoutInput, hold: (eventId: string, expiresAt: string) => Promise<HoldOutcome>): Promise<RoundResult> {
  const eventId = await createBenchEvent(label, layout);
  const expiresAt = new Date(Date.now() + 900_000).toISOString();
  const run = await runClosedLoop(buyers, seconds * 1000, warmupMs, async () => (await hold(eventId, expiresAt)).kind === 'held');
  // Direct holds have no workflow: give their seats back so they do not linger until the backstop.
  await pool.query(
    `WITH b AS (UPDATE bookings SET status = 'CANCELLED' WHERE event_id = $1 AND status = 'HELD' RETURNING id)
     UPDATE seats SET status = 'AVAILABLE', booking_id = NULL, hold_expires_at = NULL
      WHERE event_id = $1 AND booking_id IN (SELECT id FROM b)`,
    [eventId],
  );
  return { holdsPerSecond: run.ok / run.seconds, latency: summarise(run.latencies), errors: run.failed };
}

const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');

function printRound(label: string, r: RoundResult): void {
  console.log(
    `${label.padEnd(24)} holds/s ${fmt(r.holdsPerSecond).padStart(8)}  p50 ${fmt(r.latency.p50).padStart(7)} ms` +
      `  p95 ${fmt(r.latency.p95).padStart(7)} ms  p99 ${fmt(r.latency.p99).padStart(7)} ms  errors ${r.errors}`,
  );
}

async function main(): Promise<void> {
  const health = await fetch(`${apiUrl}/health`).catch(() => undefined);
  if (!health?.ok) throw new Error(`no healthy API at ${apiUrl}: start the stack with \`npm start\` first`);
  const pool = createPool(readEnv().databaseUrl, buyers + 4);
  console.log(`bench:ga: ${buyers} concurrent buyers, ${seconds} s per run after ${warmupMs / 1000} s warm-up, ${rounds} round(s)`);
  const ratios: number[] = [];
  const sqlRatios: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    const deal = seatDealer();
    const seated = await durable('seated', SEATED, () => ({ seatNumbers: deal() }));
    const ga = await durable('ga', GA, () => ({ area: 'Field', quantity: quantityOf() }));
    const bestAvailable = await durable('best', SEATED, () => ({ quantity: quantityOf(), section: `S${1 + Math.floor(Math.random() * 40)}` }));
    const sqlDeal = seatDealer();
    const seatedSql = await direct(pool, 'seated-sql', SEATED, (eventId, expiresAt) =>
      holdSeats(pool, { bookingId: randomUUID(), eventId, userId: 'bench-direct', seatNumbers: sqlDeal(), expiresAt, idempotencyKey: null }));
    const gaSql = await direct(pool, 'ga-sql', GA, (eventId, expiresAt) =>
      holdPickedSeats(pool, {
        bookingId: randomUUID(), eventId, userId: 'bench-direct', seatNumbers: [], expiresAt, idempotencyKey: null,
        pick: { quantity: quantityOf(), area: 'Field' },
      }));
    console.log(`round ${round}`);
    printRound('  seated (durable)', seated);
    printRound('  GA (durable)', ga);
    printRound('  best available (durable)', bestAvailable);
    printRound('  seated (direct SQL)', seatedSql);
    printRound('  GA (direct SQL)', gaSql);
    const ratio = ga.holdsPerSecond / seated.holdsPerSecond;
    const sqlRatio = gaSql.holdsPerSecond / seatedSql.holdsPerSecond;
    console.log(`  GA/seated: durable ${(ratio * 100).toFixed(1)}%, direct SQL ${(sqlRatio * 100).toFixed(1)}%`);
    ratios.push(ratio);
    sqlRatios.push(sqlRatio);
  }
  console.log(`median over ${rounds} round(s): GA/seated durable ${(median(ratios) * 100).toFixed(1)}%, direct SQL ${(median(sqlRatios) * 100).toFixed(1)}%`);
  await pool.end();
}

main().catch((err) => {
  console.error('[bench:ga] failed:', (err as Error).message);
  process.exit(1);
});
