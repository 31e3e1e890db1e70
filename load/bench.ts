/**
 * `npm run bench`: hold throughput and latency through the full durable path (API → update-with-start
 * → workflow → hold activity → PostgreSQL) against the running stack (`npm start`), then the same hold
 * SQL straight against PostgreSQL at the same concurrency: the ceiling of this machine.
 *
 *   BENCH_API_URL (http://127.0.0.1:3000)  BENCH_BUYERS (64)  BENCH_SECONDS (20)  BENCH_ROUNDS (3)
 *   DATABASE_URL: the stack's database (the same default as the API's).
 */
import { randomUUID } from 'node:crypto';
import { readEnv } from '../config/env';
import { createPool, type Pool } from '../db/pool';
import { holdSeats } from '../db/queries/holds';
import { median, runClosedLoop, summarise, type LatencySummary } from './stats';

const apiUrl = process.env.BENCH_API_URL ?? 'http://127.0.0.1:3000';
const buyers = Number(process.env.BENCH_BUYERS ?? 64);
const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const warmupMs = 3000;
const SEATS_PER_EVENT = 100_000;

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

async function createBenchEvent(label: string): Promise<string> {
  const res = await post('/events', {
    name: `bench ${label} ${new Date().toISOString()}`,
    totalSeats: SEATS_PER_EVENT,
    priceCents: 1000,
    holdSeconds: 900,
    maxSeatsPerBooking: 4,
  });
  if (res.status !== 201) throw new Error(`creating the bench event answered ${res.status}: ${JSON.stringify(res.json)}`);
  return String(res.json.id);
}

/** Every buyer takes the next 1–2 free seats, so holds succeed and seats are spread over the event. */
function seatDealer() {
  let next = 1;
  let turn = 0;
  return () => {
    const count = (turn++ % 2) + 1;
    const seats = Array.from({ length: count }, (_, i) => next + i);
    next += count;
    return seats;
  };
}

async function durableRound(): Promise<RoundResult & { eventId: string }> {
  const eventId = await createBenchEvent('durable');
  const deal = seatDealer();
  const run = await runClosedLoop(buyers, seconds * 1000, warmupMs, async () => {
    const res = await post('/bookings', { eventId, userId: `bench-${randomUUID().slice(0, 8)}`, seatNumbers: deal() });
    return res.status === 201;
  });
  return { eventId, holdsPerSecond: run.ok / run.seconds, latency: summarise(run.latencies), errors: run.failed };
}

async function directSqlRound(pool: Pool): Promise<RoundResult> {
  const eventId = await createBenchEvent('direct-sql');
  const deal = seatDealer();
  const expiresAt = new Date(Date.now() + 900_000).toISOString();
  const run = await runClosedLoop(buyers, seconds * 1000, warmupMs, async () => {
    const outcome = await holdSeats(pool, {
      bookingId: randomUUID(),
      eventId,
      userId: 'bench-direct',
      seatNumbers: deal(),
      expiresAt,
      idempotencyKey: null,
    });
    return outcome.kind === 'held';
  });
  // Give the seats back so direct holds (which have no workflow) do not linger until the backstop.
  await pool.query(
    `WITH b AS (UPDATE bookings SET status = 'CANCELLED' WHERE event_id = $1 AND status = 'HELD' RETURNING id)
     UPDATE seats SET status = 'AVAILABLE', booking_id = NULL, hold_expires_at = NULL
      WHERE event_id = $1 AND booking_id IN (SELECT id FROM b)`,
    [eventId],
  );
  return { holdsPerSecond: run.ok / run.seconds, latency: summarise(run.latencies), errors: run.failed };
}

/** Seats in more than one live booking, or live seats beyond capacity: must both be 0. */
async function oversold(pool: Pool, eventId: string): Promise<number> {
  const { rows } = await pool.query<{ doubled: number; over: number }>(
    `SELECT
       (SELECT count(*) FROM (
          SELECT seat FROM bookings, unnest(seat_numbers) AS seat
           WHERE event_id = $1 AND status IN ('HELD', 'CONFIRMED')
           GROUP BY seat HAVING count(*) > 1) d) AS doubled,
       (SELECT GREATEST(0, count(*) - e.total_seats) FROM seats s JOIN events e ON e.id = s.event_id
         WHERE s.event_id = $1 AND s.status <> 'AVAILABLE' GROUP BY e.total_seats) AS over`,
    [eventId],
  );
  return Number(rows[0].doubled) + Number(rows[0].over ?? 0);
}

const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');

function printRound(label: string, r: RoundResult): void {
  console.log(
    `${label.padEnd(12)} holds/s ${fmt(r.holdsPerSecond).padStart(8)}  p50 ${fmt(r.latency.p50).padStart(7)} ms` +
      `  p95 ${fmt(r.latency.p95).padStart(7)} ms  p99 ${fmt(r.latency.p99).padStart(7)} ms  errors ${r.errors}`,
  );
}

async function main(): Promise<void> {
  const health = await fetch(`${apiUrl}/health`).catch(() => undefined);
  if (!health?.ok) throw new Error(`no healthy API at ${apiUrl}: start the stack with \`npm start\` first`);
  const env = readEnv();
  const pool = createPool(env.databaseUrl, buyers + 4);
  console.log(`bench: ${buyers} concurrent buyers, ${seconds} s per run after ${warmupMs / 1000} s warm-up, ${rounds} round(s)`);

  const ratios: number[] = [];
  const durableP99s: number[] = [];
  let totalOversold = 0;
  for (let round = 1; round <= rounds; round++) {
    // Side by side in each round, so a noisy moment hits both.
    const durable = await durableRound();
    const direct = await directSqlRound(pool);
    const over = await oversold(pool, durable.eventId);
    totalOversold += over;
    console.log(`round ${round}`);
    printRound('  durable', durable);
    printRound('  direct SQL', direct);
    const ratio = durable.holdsPerSecond / direct.holdsPerSecond;
    console.log(`  ratio durable/direct ${(ratio * 100).toFixed(1)}%   oversold seats ${over}`);
    ratios.push(ratio);
    durableP99s.push(durable.latency.p99);
  }
  console.log(
    `median over ${rounds} round(s): durable/direct ${(median(ratios) * 100).toFixed(1)}%, durable p99 ${fmt(median(durableP99s))} ms, oversold ${totalOversold}`,
  );
  await pool.end();
  if (totalOversold > 0) process.exitCode = 1;
}

main().catch((err) => {
  console.error('[bench] failed:', (err as Error).message);
  process.exit(1);
});
