/**
 * `npm run load:surge`: the on-sale surge through the waiting room. LOAD_BUYERS virtual buyers
 * (5000) join the queue of a LOAD_SEATS-seat event (1000) before it opens, as fast as
 * LOAD_JOIN_CONNECTIONS (32) connections carry them, once the stack has settled and after an
 * unmeasured warm-up of joins on another event. The room lets them in at LOAD_ADMIT_PER_MINUTE
 * (900), never more than LOAD_MAX_ACTIVE (10) admitted and not yet holding at once: sized from
 * `npm run bench` on this machine (docs/waiting-room.md, "Sizing the room"). The stack runs the
 * eager hold path (BOOKING_WORKER_IN_API=true, LOAD_EAGER=false for the separate worker alone).
 * Each admitted buyer holds 1–4 seats with its admission token, pays through the payment simulator
 * and waits for the confirmation; the others are told SOLD_OUT. Buyers poll their place (GET) as
 * a real client would: every half of their ETA, 1–60 s. Checks at the end: zero 5xx, zero seats
 * sold twice, every seat sold once or free, queue-join p99 ≤ 100 ms, admitted buyers' hold p99 ≤ 1 s.
 * Prints the summary and keeps it under artifacts/.
 */
import { randomUUID } from 'node:crypto';
import { createPool } from '../db/pool';
import type { QueuePlaceView } from '../domain/waitingRoom';
import { loadStack, writeArtifact } from './loadStack';
import { summarise } from './stats';

const buyers = Number(process.env.LOAD_BUYERS ?? 5000);
const seats = Number(process.env.LOAD_SEATS ?? 1000);
const admitPerMinute = Number(process.env.LOAD_ADMIT_PER_MINUTE ?? 900);
// `none`: no bound but the seats (the room's maxActive null).
const maxActive = process.env.LOAD_MAX_ACTIVE === 'none' ? null : Number(process.env.LOAD_MAX_ACTIVE ?? 10);
const eager = (process.env.LOAD_EAGER ?? 'true') === 'true';
const JOIN_CONCURRENCY = Number(process.env.LOAD_JOIN_CONNECTIONS ?? 32);
const WARMUP_JOINS = 500;
// A waiting buyer asks again after this share of its ETA, within these bounds (a real client's backoff).
// (LOAD_POLL_ETA_SHARE=0.4 LOAD_POLL_MAX_MS=15000 LOAD_FIRST_POLL_SPREAD_MS=3000: the polling before issue 9.)
const POLL_ETA_SHARE = Number(process.env.LOAD_POLL_ETA_SHARE ?? 0.5);
const POLL_MIN_MS = 1_000;
const POLL_MAX_MS = Number(process.env.LOAD_POLL_MAX_MS ?? 60_000);
// The first look after the opening is spread over this long, as real buyers' clocks and reloads are.
const FIRST_POLL_SPREAD_MS = Number(process.env.LOAD_FIRST_POLL_SPREAD_MS ?? 5_000);
const JOIN_P99_MS = 100;
const HOLD_P99_MS = 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Counters {
  statuses: Map<number, number>;
  joinMs: number[];
  holdMs: number[];
  outcomes: Map<string, number>;
}

async function main(): Promise<void> {
  const stack = await loadStack({ RATE_LIMIT_PER_ADDRESS: '0', BOOKING_WORKER_IN_API: String(eager) });
  const counters: Counters = { statuses: new Map(), joinMs: [], holdMs: [], outcomes: new Map() };
  const count = (outcome: string) => counters.outcomes.set(outcome, (counters.outcomes.get(outcome) ?? 0) + 1);

  const call = async <T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    counters.statuses.set(res.status, (counters.statuses.get(res.status) ?? 0) + 1);
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };

  const joinAll = async (eventId: string, total: number, measured: boolean, places: QueuePlaceView[]) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: JOIN_CONCURRENCY }, async () => {
        while (next < total) {
          next++;
          const t0 = performance.now();
          const res = await call<QueuePlaceView>('POST', `/events/${eventId}/queue`, { userId: `surge-${randomUUID()}` });
          if (!measured) continue;
          counters.joinMs.push(performance.now() - t0);
          if (res.status === 201) places.push(res.body);
          else count(`join ${res.status}`);
        }
      }),
    );
  };

  try {
    // 0. Warm-up (not measured): joins on an event of its own, so the first measured joins do not
    // pay for cold code paths and connections. Its answers' statuses still count (a 5xx fails the run).
    const warmup = await call<{ id: string }>('POST', '/events', {
      name: `load:surge warm-up ${new Date().toISOString()}`,
      totalSeats: 10,
      onSaleAt: new Date(Date.now() + 3_600_000).toISOString(),
      waitingRoom: { admitPerMinute: 60 },
    });
    if (warmup.status !== 201) throw new Error(`creating the warm-up event answered ${warmup.status}`);
    await joinAll(warmup.body.id, WARMUP_JOINS, false, []);

    const started = Date.now();
    // Long enough for every buyer to join before the doors open.
    const onSaleAt = new Date(Date.now() + Math.max(15_000, buyers * 4)).toISOString();
    const created = await call<{ id: string }>('POST', '/events', {
      name: `load:surge ${new Date().toISOString()}`,
      totalSeats: seats,
      priceCents: 2500,
      holdSeconds: 120,
      maxSeatsPerBooking: 4,
      onSaleAt,
      waitingRoom: { admitPerMinute, maxActive, admissionSeconds: 120 },
    });
    if (created.status !== 201) throw new Error(`creating the event answered ${created.status}`);
    const eventId = created.body.id;

    // 1. Everyone joins before the opening.
    const places: QueuePlaceView[] = [];
    await joinAll(eventId, buyers, true, places);
    const joinedAt = Date.now();
    console.log(`[load] ${places.length} buyers joined in ${((joinedAt - started) / 1000).toFixed(1)} s; the sale opens at ${onSaleAt}`);

    // 2. Each buyer waits for its turn, then holds, pays and waits for the confirmation.
    const buyer = async (place: QueuePlaceView) => {
      await sleep(Math.max(0, Date.parse(onSaleAt) - Date.now()) + Math.random() * FIRST_POLL_SPREAD_MS);
      let current = place;
      for (;;) {
        const res = await call<QueuePlaceView>('GET', `/events/${eventId}/queue/${place.queueId}`);
        if (res.status !== 200) return count(`read ${res.status}`);
        current = res.body;
        if (current.status !== 'WAITING') break;
        const eta = current.etaSeconds ?? 5;
        await sleep(Math.min(POLL_MAX_MS, Math.max(POLL_MIN_MS, eta * 1000 * POLL_ETA_SHARE)) + Math.random() * 1000);
      }
      if (current.status !== 'ADMITTED' || !current.admissionToken) return count(current.status);
      for (let attempt = 0; attempt < 4; attempt++) {
        const map = await call<{ seatNumber: number; status: string }[]>('GET', `/events/${eventId}/seats`);
        const free = map.body.filter((s) => s.status === 'AVAILABLE').map((s) => s.seatNumber);
        if (free.length === 0) return count('admitted, no seat left');
        const want = Math.min(free.length, 1 + Math.floor(Math.random() * 4));
        const chosen = free.sort(() => Math.random() - 0.5).slice(0, want);
        const t0 = performance.now();
        const hold = await call<{ id: string; code?: string }>(
          'POST',
          '/bookings',
          { eventId, userId: current.userId, seatNumbers: chosen },
          { 'Admission-Token': current.admissionToken },
        );
        counters.holdMs.push(performance.now() - t0);
        if (hold.status === 409) continue;
        if (hold.status !== 201) return count(`hold ${hold.status} ${hold.body.code ?? ''}`.trim());
        const paid = await call('POST', '/simulator/payments', { bookingId: hold.body.id, outcome: 'succeeded' });
        if (paid.status >= 300) return count(`pay ${paid.status}`);
        for (let i = 0; i < 60; i++) {
          const booking = await call<{ status: string }>('GET', `/bookings/${hold.body.id}`);
          if (booking.body.status === 'CONFIRMED') return count('CONFIRMED');
          if (['EXPIRED', 'CANCELLED', 'REJECTED'].includes(booking.body.status)) return count(`booking ${booking.body.status}`);
          await sleep(500);
        }
        return count('confirmation not seen in 30 s');
      }
      return count('admitted, seats taken 4 times');
    };
    await Promise.all(places.map(buyer));
    const finishedAt = Date.now();

    // 3. The books: nothing sold twice, every seat sold once or free.
    const pool = createPool(stack.databaseUrl, 2);
    let books;
    try {
      const twice = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (SELECT s FROM bookings, unnest(seat_numbers) AS s
          WHERE event_id = $1 AND status = 'CONFIRMED' GROUP BY s HAVING count(*) > 1) doubled`,
        [eventId],
      );
      const seatRows = await pool.query<{ status: string; n: number }>(
        'SELECT status, count(*)::int AS n FROM seats WHERE event_id = $1 GROUP BY status',
        [eventId],
      );
      const sold = await pool.query<{ n: number }>(
        "SELECT coalesce(sum(cardinality(seat_numbers)), 0)::int AS n FROM bookings WHERE event_id = $1 AND status = 'CONFIRMED'",
        [eventId],
      );
      const bySeat = Object.fromEntries(seatRows.rows.map((r) => [r.status, r.n]));
      books = { soldTwice: twice.rows[0].n, seats: bySeat, confirmedSeats: sold.rows[0].n };
    } finally {
      await pool.end();
    }

    const serverErrors = [...counters.statuses].filter(([status]) => status >= 500).reduce((n, [, c]) => n + c, 0);
    const join = summarise(counters.joinMs);
    const hold = summarise(counters.holdMs);
    const round = (o: object) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'number' ? Number(v.toFixed(1)) : v]));
    const checks = {
      'zero 5xx': serverErrors === 0,
      'zero seats sold twice': books.soldTwice === 0,
      'every seat sold once or free': (books.seats.BOOKED ?? 0) === books.confirmedSeats && (books.seats.HELD ?? 0) === 0,
      [`queue join p99 <= ${JOIN_P99_MS} ms`]: join.p99 <= JOIN_P99_MS,
      [`admitted buyers' hold p99 <= ${HOLD_P99_MS} ms`]: hold.p99 <= HOLD_P99_MS,
    };
    const summary = {
      scenario: 'on-sale surge through the waiting room',
      stack: stack.description,
      buyers,
      seats,
      admitPerMinute,
      maxActive,
      eager,
      joinSeconds: Number(((joinedAt - started) / 1000).toFixed(1)),
      saleSeconds: Number(((finishedAt - Date.parse(onSaleAt)) / 1000).toFixed(1)),
      statuses: Object.fromEntries(counters.statuses),
      outcomes: Object.fromEntries(counters.outcomes),
      books,
      joinLatencyMs: round(join),
      holdLatencyMs: round(hold),
      checks,
    };
    console.log(JSON.stringify(summary, null, 2));
    console.log(`[load] summary kept in ${writeArtifact('load-surge', summary)}`);
    if (Object.values(checks).some((ok) => !ok)) process.exitCode = 1;
  } finally {
    await stack.stop();
  }
}

main().catch((err) => {
  console.error('[load] failed:', err);
  process.exit(1);
});
