/**
 * `npm run chaos`: under a steady load of buyers holding and paying, kills (SIGKILL) and restarts,
 * one at a time, the worker, the API, the Temporal dev server, PostgreSQL and Redis, all private to
 * this run, and checks after each fault and at the end that nothing was sold twice, no payment was
 * lost or taken twice, no hold outlived its expiry and the live seat map caught up. Prints a table
 * and writes it as JSON to artifacts/. Stops by itself. Knobs: settings.ts (CHAOS_*).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createPool, type Pool } from '../../db/pool';
import { SeatMapClient } from '../../tests/support/seatMapClient';
import { Buyers, pause, type RequestRecord } from './buyers';
import { checkInvariants, type CheckResult } from './invariants';
import { readChaosSettings, type FaultName } from './settings';
import { startChaosStack, type ChaosStack } from './stack';

const log = (line: string) => console.log(`[chaos] ${line}`);
const EVENT_SEATS = 200;

interface FaultRow {
  fault: FaultName | 'final';
  requests: number;
  errors: number;
  /** What the errors were, by reason (status code or network error). */
  errorKinds: Record<string, number>;
  recoverSeconds: number | null;
  invariantsHeld: boolean;
  checks: CheckResult[];
}

async function post(url: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function createEvent(apiUrl: string, seats: number, holdSeconds: number): Promise<string> {
  for (;;) {
    try {
      const res = await post(`${apiUrl}/events`, { name: `chaos ${new Date().toISOString()}`, totalSeats: seats, priceCents: 1500, holdSeconds, maxSeatsPerBooking: 4 });
      if (res.status === 201) return String(res.body.id);
    } catch {
      // The API may be the part that is down: try again.
    }
    await pause(500);
  }
}

/** Until a fresh hold succeeds and /health answers 200 and not degraded: the system serves buyers again. */
async function probeUntilRecovered(apiUrl: string, probeEvent: string, nextSeat: () => number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const health = await fetch(`${apiUrl}/health`, { signal: AbortSignal.timeout(3_000) });
      const body = (await health.json()) as { status?: string };
      if (health.status === 200 && body.status !== 'degraded') {
        const hold = await post(`${apiUrl}/bookings`, { eventId: probeEvent, userId: `chaos-probe-${Date.now()}`, seatNumbers: [nextSeat()] });
        if (hold.status === 201) return true;
      }
    } catch {
      // Still down.
    }
    await pause(250);
  }
  return false;
}

function windowOf(records: RequestRecord[], from: number, to: number) {
  const inside = records.filter((r) => r.at >= from && r.at < to);
  const errors = inside.filter((r) => r.outcome === 'error');
  const errorKinds: Record<string, number> = {};
  for (const e of errors) {
    const key = `${e.kind} ${e.status ?? e.detail ?? 'error'}`;
    errorKinds[key] = (errorKinds[key] ?? 0) + 1;
  }
  return { requests: inside.length, errors: errors.length, errorKinds };
}

async function kill(stack: ChaosStack, fault: FaultName, downSeconds: number): Promise<void> {
  const sigkill = (pid: number | undefined) => {
    if (!pid) throw new Error(`no running ${fault} to kill`);
    process.kill(pid, 'SIGKILL');
  };
  switch (fault) {
    case 'worker':
      return sigkill(stack.worker.pid());
    case 'api':
      return sigkill(stack.api.pid());
    case 'temporal':
      return sigkill(stack.temporal.pid());
    case 'postgres':
      await stack.postgres.kill();
      await pause(downSeconds * 1000);
      // Its backends may take a moment to notice the postmaster died and let go of shared memory.
      for (let attempt = 1; ; attempt++) {
        try {
          await stack.postgres.start();
          return;
        } catch (err) {
          if (attempt >= 20) throw err;
          await pause(500);
        }
      }
    case 'redis':
      await stack.redis.kill();
      await pause(downSeconds * 1000);
      await stack.redis.restart();
      return;
  }
}

function printTable(rows: FaultRow[]): string {
  const header = ['fault', 'requests during fault', 'errors seen by buyers', 'time to recover', 'invariants held'];
  const lines = rows.map((r) => [
    r.fault,
    String(r.requests),
    r.errors === 0 ? '0' : `${r.errors} (${Object.entries(r.errorKinds).map(([k, n]) => `${k}: ${n}`).join(', ')})`,
    r.fault === 'final' ? '-' : r.recoverSeconds === null ? 'not recovered' : `${r.recoverSeconds.toFixed(1)} s`,
    r.invariantsHeld ? 'yes' : `NO: ${r.checks.filter((c) => !c.held).map((c) => `${c.name}: ${c.detail}`).join('; ')}`,
  ]);
  const table = [header, ...lines];
  const widths = header.map((_, i) => Math.max(...table.map((row) => row[i].length)));
  const format = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [format(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(format)].join('\n');
}

async function main(): Promise<void> {
  const settings = readChaosSettings();
  const startedAt = new Date();
  const runDir = path.resolve(__dirname, '..', '..', 'artifacts', `chaos-${startedAt.toISOString().replace(/[:.]/g, '-')}`);
  fs.mkdirSync(runDir, { recursive: true });
  let stack: ChaosStack | undefined;
  // Whatever stops the run, the processes it started go with it.
  const abandon = (why: string, code: number) => {
    console.error(`[chaos] ${why}: stopping the private stack`);
    void (stack?.stop() ?? Promise.resolve()).finally(() => process.exit(code));
  };
  const hardStop = setTimeout(() => abandon(`past CHAOS_MAX_MINUTES=${settings.maxMinutes}`, 2), settings.maxMinutes * 60_000);
  hardStop.unref();
  process.once('SIGINT', () => abandon('SIGINT', 130));
  process.once('SIGTERM', () => abandon('SIGTERM', 143));
  log(`${settings.buyers} buyers, faults: ${settings.faults.join(', ')}; logs of the parts in ${path.relative(process.cwd(), runDir)}`);

  stack = await startChaosStack(settings, runDir, log);
  let pool: Pool | undefined;
  let watcher: SeatMapClient | undefined;
  let buyers: Buyers | undefined;
  try {
    pool = createPool(stack.databaseUrl, 4);
    // Errors of idle clients while PostgreSQL is down: the pool replaces them.
    pool.on('error', () => undefined);
    const events: string[] = [await createEvent(stack.apiUrl, EVENT_SEATS, settings.holdSeconds)];
    const probeEvent = await createEvent(stack.apiUrl, 5000, settings.holdSeconds);
    let probeSeat = 0;
    const nextProbeSeat = () => (probeSeat = (probeSeat % 5000) + 1);
    watcher = await SeatMapClient.connect(stack.apiUrl);
    watcher.subscribe(events[0]);

    buyers = new Buyers({
      apiUrl: stack.apiUrl,
      buyers: settings.buyers,
      webhookSecret: stack.webhookSecret,
      holdSeconds: settings.holdSeconds,
      requestTimeoutMs: settings.requestTimeoutMs,
      currentEvent: () => ({ id: events[events.length - 1], seats: EVENT_SEATS }),
    });
    // A new event when the current one is three-quarters taken, so holds keep succeeding.
    let rotating = true;
    const rotation = (async () => {
      while (rotating) {
        await pause(2_000);
        try {
          const { rows } = await pool!.query<{ n: string }>(`SELECT count(*) AS n FROM seats WHERE event_id = $1 AND status = 'AVAILABLE'`, [events[events.length - 1]]);
          if (Number(rows[0].n) < EVENT_SEATS / 4) {
            const id = await createEvent(stack.apiUrl, EVENT_SEATS, settings.holdSeconds);
            events.push(id);
            watcher!.subscribe(id);
          }
        } catch {
          // PostgreSQL or the API is the part that is down.
        }
      }
    })();
    buyers.start();
    log(`warming up for ${settings.warmupSeconds} s`);
    await pause(settings.warmupSeconds * 1000);

    const holdGraceSeconds = settings.backstopGraceSeconds + settings.backstopIntervalSeconds + 10;
    const check = async (final: boolean) => {
      buyers!.pause();
      try {
        return await checkInvariants({ pool: pool!, apiUrl: stack.apiUrl, buyers: buyers!, watcher: watcher!, watchedEvents: [...events], holdGraceSeconds, final });
      } finally {
        buyers!.resume();
      }
    };
    const rows: FaultRow[] = [];
    for (const fault of settings.faults) {
      const from = Date.now();
      log(`fault: SIGKILL ${fault}`);
      await kill(stack, fault, settings.downSeconds);
      const recovered = await probeUntilRecovered(stack.apiUrl, probeEvent, nextProbeSeat, settings.recoverTimeoutSeconds * 1000);
      const recoverSeconds = recovered ? (Date.now() - from) / 1000 : null;
      log(`${fault}: ${recovered ? `recovered in ${recoverSeconds?.toFixed(1)} s` : 'NOT recovered'}; load goes on for ${settings.settleSeconds} s`);
      await pause(settings.settleSeconds * 1000);
      const to = Date.now();
      const checks = await check(false);
      const window = windowOf(buyers.records, from, to);
      rows.push({ fault, ...window, recoverSeconds, invariantsHeld: checks.every((c) => c.held), checks });
      for (const c of checks) log(`  ${c.held ? 'held' : 'BROKEN'}: ${c.name} (${c.detail})`);
    }

    log('stopping the load; waiting for the last holds to lapse and the refunds to finish');
    const loadEnded = Date.now();
    rotating = false;
    await buyers.stop();
    await rotation;
    await pause((settings.holdSeconds + holdGraceSeconds) * 1000);
    const finalChecks = await check(true);
    const all = windowOf(buyers.records, 0, loadEnded);
    rows.push({ fault: 'final', requests: all.requests, errors: all.errors, errorKinds: all.errorKinds, recoverSeconds: null, invariantsHeld: finalChecks.every((c) => c.held), checks: finalChecks });
    for (const c of finalChecks) log(`  ${c.held ? 'held' : 'BROKEN'}: ${c.name} (${c.detail})`);

    const { rows: totals } = await pool.query<{ bookings: string; confirmed: string; payments: string; owed_back: string }>(
      `SELECT (SELECT count(*) FROM bookings) AS bookings, (SELECT count(*) FROM bookings WHERE status = 'CONFIRMED') AS confirmed,
              (SELECT count(*) FROM payments) AS payments, (SELECT count(*) FROM payments WHERE disposition = 'OWED_BACK') AS owed_back`,
    );
    const table = printTable(rows);
    const summary =
      `${settings.buyers} buyers, ${Math.round((Date.now() - startedAt.getTime()) / 1000)} s: ${totals[0].bookings} bookings ` +
      `(${totals[0].confirmed} confirmed), ${totals[0].payments} payments (${totals[0].owed_back} owed back and refunded), ` +
      `${buyers.acknowledged.size} webhook deliveries acknowledged, ${buyers.unacknowledged.length} given up`;
    console.log(`\n${table}\n\n${summary}\n`);
    const artifact = path.resolve(__dirname, '..', '..', 'artifacts', `chaos-${startedAt.toISOString().slice(0, 10)}.json`);
    fs.writeFileSync(artifact, JSON.stringify({ startedAt, settings, summary, totals: totals[0], rows }, null, 2));
    log(`wrote ${path.relative(process.cwd(), artifact)}`);
    process.exitCode = rows.every((r) => r.invariantsHeld) ? 0 : 1;
  } finally {
    watcher?.close();
    await pool?.end().catch(() => undefined);
    await stack.stop();
    clearTimeout(hardStop);
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err) => {
    console.error('[chaos] failed:', err);
    process.exit(1);
  },
);
