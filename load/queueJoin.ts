/**
 * `npm run load:queue`: waiting-room join throughput on one API node. LOAD_CONNECTIONS buyers
 * (64) join one event's queue in a closed loop for LOAD_SECONDS (20, after 3 s of warm-up), each
 * join a new user, before the on-sale (the pre-queue, placed by the fair draw). Prints joins per
 * second and latency, checks the aim (p99 ≤ 100 ms, no 5xx) and keeps the JSON under artifacts/.
 * Against LOAD_API_URL, or a stack of its own (loadStack.ts); all requests come from one loopback
 * address, so its own stack runs without the per-address rate limit.
 */
import { randomUUID } from 'node:crypto';
import { loadStack, writeArtifact } from './loadStack';
import { runClosedLoop, summarise } from './stats';

const connections = Number(process.env.LOAD_CONNECTIONS ?? 64);
const seconds = Number(process.env.LOAD_SECONDS ?? 20);
const P99_LIMIT_MS = 100;
const AIM_JOINS_PER_SECOND = 2000;

async function main(): Promise<void> {
  const stack = await loadStack({ RATE_LIMIT_PER_ADDRESS: '0' });
  try {
    const created = await fetch(`${stack.apiUrl}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: `load:queue ${new Date().toISOString()}`,
        totalSeats: 1000,
        onSaleAt: new Date(Date.now() + 3_600_000).toISOString(),
        waitingRoom: { admitPerMinute: 600 },
      }),
    });
    const event = (await created.json()) as { id: string };
    if (created.status !== 201) throw new Error(`creating the event answered ${created.status}: ${JSON.stringify(event)}`);
    const statuses = new Map<number, number>();
    const run = await runClosedLoop(connections, seconds * 1000, 3000, async () => {
      const res = await fetch(`${stack.apiUrl}/events/${event.id}/queue`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: `load-${randomUUID()}` }),
      });
      await res.arrayBuffer();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      return res.status === 201;
    });
    const latency = summarise(run.latencies);
    const joinsPerSecond = run.ok / run.seconds;
    const serverErrors = [...statuses].filter(([status]) => status >= 500).reduce((n, [, count]) => n + count, 0);
    const checks = {
      [`p99 <= ${P99_LIMIT_MS} ms`]: latency.p99 <= P99_LIMIT_MS,
      'zero 5xx': serverErrors === 0,
      [`>= ${AIM_JOINS_PER_SECOND} joins/s (aim)`]: joinsPerSecond >= AIM_JOINS_PER_SECOND,
    };
    const summary = {
      scenario: 'queue join',
      stack: stack.description,
      connections,
      seconds: Number(run.seconds.toFixed(1)),
      joins: run.ok,
      failed: run.failed,
      statuses: Object.fromEntries(statuses),
      joinsPerSecond: Number(joinsPerSecond.toFixed(0)),
      latencyMs: Object.fromEntries(Object.entries(latency).map(([k, v]) => [k, Number(v.toFixed(1))])),
      checks,
    };
    console.log(JSON.stringify(summary, null, 2));
    console.log(`[load] summary kept in ${writeArtifact('load-queue', summary)}`);
    if (!checks[`p99 <= ${P99_LIMIT_MS} ms`] || !checks['zero 5xx']) process.exitCode = 1;
  } finally {
    await stack.stop();
  }
}

main().catch((err) => {
  console.error('[load] failed:', err);
  process.exit(1);
});
