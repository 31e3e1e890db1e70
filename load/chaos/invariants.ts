/**
 * What must hold whatever was killed, checked by SQL against the database and through the API and
 * a Socket.IO client. Mid-run checks give work in flight a moment (a payment acknowledged seconds
 * ago may not be recorded yet); the final check, after the load stopped and holds lapsed, does not.
 */
import type { Pool } from '../../db/pool';
import type { SeatMapClient } from '../../tests/support/seatMapClient';
import type { Buyers } from './buyers';

export interface CheckResult {
  name: string;
  held: boolean;
  detail: string;
}

export interface CheckContext {
  pool: Pool;
  apiUrl: string;
  buyers: Buyers;
  watcher: SeatMapClient;
  watchedEvents: string[];
  /** A HELD booking may outlive its expiry by this much (the backstop's grace and interval, and a margin). */
  holdGraceSeconds: number;
  /** The end of the run: nothing may still be in flight. */
  final: boolean;
}

// Mid-run, work younger than this is still allowed to be in flight.
const IN_FLIGHT_SECONDS = 60;

async function count(pool: Pool, sql: string, params: unknown[] = []): Promise<{ n: number; sample: string[] }> {
  const { rows } = await pool.query<{ id: string }>(sql, params);
  return { n: rows.length, sample: rows.slice(0, 3).map((r) => r.id) };
}

function result(name: string, found: { n: number; sample: string[] }, what: string): CheckResult {
  return { name, held: found.n === 0, detail: found.n === 0 ? 'ok' : `${found.n} ${what}, e.g. ${found.sample.join(', ')}` };
}

async function noSeatTwice(pool: Pool): Promise<CheckResult> {
  const overlapping = await count(
    pool,
    `SELECT a.id || ' & ' || b.id AS id FROM bookings a JOIN bookings b
       ON a.event_id = b.event_id AND a.id < b.id AND a.seat_numbers && b.seat_numbers
      WHERE a.status IN ('HELD', 'CONFIRMED') AND b.status IN ('HELD', 'CONFIRMED')`,
  );
  if (overlapping.n > 0) return result('no seat in two live bookings', overlapping, 'pairs of live bookings share a seat');
  // And the seats agree with the bookings: each live booking owns its seats, each taken seat a live booking.
  const disagreeing = await count(
    pool,
    `SELECT b.id::text AS id FROM bookings b
      WHERE b.status IN ('HELD', 'CONFIRMED') AND EXISTS (
        SELECT 1 FROM unnest(b.seat_numbers) AS n
         WHERE NOT EXISTS (SELECT 1 FROM seats s WHERE s.event_id = b.event_id AND s.seat_number = n AND s.booking_id = b.id
                             AND s.status = CASE b.status WHEN 'HELD' THEN 'HELD' ELSE 'BOOKED' END))
     UNION ALL
     SELECT s.event_id || '#' || s.seat_number FROM seats s LEFT JOIN bookings b ON b.id = s.booking_id
      WHERE s.booking_id IS NOT NULL AND b.status IS DISTINCT FROM (CASE s.status WHEN 'HELD' THEN 'HELD' ELSE 'CONFIRMED' END)`,
  );
  return result('no seat in two live bookings', disagreeing, 'seats disagree with their bookings');
}

async function paymentsOnce(ctx: CheckContext): Promise<CheckResult> {
  const { pool, buyers, final } = ctx;
  const problems: string[] = [];
  const olderThan = final ? 0 : IN_FLIGHT_SECONDS;
  // Every payment the webhook acknowledged was recorded...
  const acknowledged = [...buyers.acknowledged].filter(([, v]) => Date.now() - v.at > olderThan * 1000).map(([id]) => id);
  if (acknowledged.length > 0) {
    const { rows } = await pool.query<{ payment_id: string }>('SELECT payment_id FROM payments WHERE payment_id = ANY($1)', [acknowledged]);
    const recorded = new Set(rows.map((r) => r.payment_id));
    const missing = acknowledged.filter((id) => !recorded.has(id));
    if (missing.length > 0) problems.push(`${missing.length} acknowledged payment(s) never recorded, e.g. ${missing.slice(0, 2).join(', ')}`);
  }
  // ...applied to a confirmed booking (one per booking, and every confirmed booking has its one)...
  const wronglyApplied = await count(
    pool,
    `SELECT p.payment_id AS id FROM payments p LEFT JOIN bookings b ON b.id = p.booking_id
      WHERE p.disposition = 'APPLIED' AND b.status IS DISTINCT FROM 'CONFIRMED'`,
  );
  if (wronglyApplied.n > 0) problems.push(`${wronglyApplied.n} applied payment(s) on a booking not confirmed, e.g. ${wronglyApplied.sample.join(', ')}`);
  const unpaid = await count(
    pool,
    `SELECT b.id::text AS id FROM bookings b WHERE b.status = 'CONFIRMED'
        AND (SELECT count(*) FROM payments p WHERE p.booking_id = b.id AND p.disposition = 'APPLIED') <> 1`,
  );
  if (unpaid.n > 0) problems.push(`${unpaid.n} confirmed booking(s) without exactly one applied payment, e.g. ${unpaid.sample.join(', ')}`);
  // ...or owed back and refunded exactly once.
  const notRefunded = await count(
    pool,
    `SELECT p.payment_id AS id FROM payments p LEFT JOIN refunds r ON r.payment_id = p.payment_id
      WHERE p.disposition = 'OWED_BACK' AND p.created_at < now() - make_interval(secs => $1)
        AND r.status IS DISTINCT FROM 'SUCCEEDED'`,
    [olderThan],
  );
  if (notRefunded.n > 0) problems.push(`${notRefunded.n} owed-back payment(s) not refunded, e.g. ${notRefunded.sample.join(', ')}`);
  const refundedTwice = await count(
    pool,
    `SELECT payment_id AS id FROM simulated_refunds GROUP BY payment_id HAVING count(*) > 1
     UNION ALL
     SELECT r.payment_id FROM refunds r JOIN payments p ON p.payment_id = r.payment_id WHERE p.disposition = 'APPLIED' AND r.reason = 'UNAPPLIED'`,
  );
  if (refundedTwice.n > 0) problems.push(`${refundedTwice.n} payment(s) refunded twice or refunded although applied, e.g. ${refundedTwice.sample.join(', ')}`);
  const unprocessed = await count(
    pool,
    `SELECT id FROM payment_events WHERE processed_at IS NULL AND received_at < now() - make_interval(secs => $1)`,
    [olderThan],
  );
  if (unprocessed.n > 0) problems.push(`${unprocessed.n} webhook event(s) accepted but never processed, e.g. ${unprocessed.sample.join(', ')}`);
  return { name: 'each payment applied once or refunded once', held: problems.length === 0, detail: problems.join('; ') || 'ok' };
}

async function holdsWithinExpiry(ctx: CheckContext): Promise<CheckResult> {
  const overdue = await count(
    ctx.pool,
    `SELECT id::text AS id FROM bookings WHERE status = 'HELD' AND expires_at + make_interval(secs => $1) < now()`,
    [ctx.holdGraceSeconds],
  );
  return result('every booking settled or HELD within expiry + grace', overdue, `HELD bookings past expiry + ${ctx.holdGraceSeconds} s`);
}

/** Bookings in a final state read the same through the API as in the database. */
async function apiAgrees(ctx: CheckContext): Promise<CheckResult> {
  const { rows } = await ctx.pool.query<{ id: string; status: string }>(
    `SELECT id::text AS id, status FROM bookings WHERE status IN ('CONFIRMED', 'EXPIRED', 'CANCELLED', 'REJECTED') ORDER BY random() LIMIT 40`,
  );
  const differing: string[] = [];
  for (const row of rows) {
    try {
      const res = await fetch(`${ctx.apiUrl}/bookings/${row.id}`, { signal: AbortSignal.timeout(10_000) });
      const body = (await res.json()) as { status?: string };
      if (res.status !== 200 || body.status !== row.status) differing.push(`${row.id}: API ${res.status} ${body.status}, database ${row.status}`);
    } catch (err) {
      differing.push(`${row.id}: ${(err as Error).message}`);
    }
  }
  return {
    name: 'the API reads what the database holds',
    held: differing.length === 0,
    detail: differing.length === 0 ? `ok (${rows.length} bookings compared)` : `${differing.length} differ, e.g. ${differing.slice(0, 2).join('; ')}`,
  };
}

/** The Socket.IO client's seat maps catch up with the database (it resyncs on gaps and reconnects). */
async function seatMapResyncs(ctx: CheckContext): Promise<CheckResult> {
  const problems: string[] = [];
  for (const eventId of ctx.watchedEvents) {
    const deadline = Date.now() + 30_000;
    let last = '';
    for (;;) {
      const { rows } = await ctx.pool.query<{ seat_number: number; status: string }>(
        'SELECT seat_number, status FROM seats WHERE event_id = $1',
        [eventId],
      );
      const { rows: version } = await ctx.pool.query<{ version: string }>('SELECT version FROM seat_versions WHERE event_id = $1', [eventId]);
      const map = ctx.watcher.map(eventId);
      const differing = rows.filter((r) => map.seats.get(r.seat_number) !== r.status).length;
      if (differing === 0 && map.version >= Number(version[0]?.version ?? 0)) break;
      last = `event ${eventId.slice(0, 8)}: client at version ${map.version}, database ${version[0]?.version}; ${differing} seat(s) differ`;
      if (Date.now() > deadline) {
        problems.push(last);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  return { name: 'the seat-map stream resynchronises to the database', held: problems.length === 0, detail: problems.join('; ') || `ok (${ctx.watchedEvents.length} events)` };
}

export async function checkInvariants(ctx: CheckContext): Promise<CheckResult[]> {
  const run = async (name: string, check: () => Promise<CheckResult>): Promise<CheckResult> => {
    try {
      return await check();
    } catch (err) {
      return { name, held: false, detail: `could not check: ${(err as Error).message}` };
    }
  };
  return [
    await run('no seat in two live bookings', () => noSeatTwice(ctx.pool)),
    await run('each payment applied once or refunded once', () => paymentsOnce(ctx)),
    await run('every booking settled or HELD within expiry + grace', () => holdsWithinExpiry(ctx)),
    await run('the API reads what the database holds', () => apiAgrees(ctx)),
    await run('the seat-map stream resynchronises to the database', () => seatMapResyncs(ctx)),
  ];
}
