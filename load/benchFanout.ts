/**
 * `npm run bench:fanout`: commit-to-receipt latency of seat updates to many Socket.IO clients on one
 * event, through one API node and through two API nodes sharing Redis; with the code before the
 * read-side work and with this tree, in one run, on one private stack (load/benchStack.ts).
 * Changes are committed straight in PostgreSQL with the hold_seats function a booking's hold runs,
 * so what is measured is the fan-out, not Temporal.
 *
 *   FANOUT_CLIENTS (1000)  FANOUT_LARGE (10000; 0 skips the second step)  FANOUT_CHANGES (200)
 *   FANOUT_RATE (20 changes/s)  FANOUT_BEFORE (1; 0 runs only this tree)  BENCH_BEFORE_REF (e11a6d6)
 *   REDIS_URL (redis://127.0.0.1:6379)
 */
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { SeatMapEvents, type SeatUpdate } from '../domain/seatMap';
import { checkoutTree, DEFAULT_BEFORE_REF, startBenchStack, uniquePrefix, type ApiNode, type BenchStack } from './benchStack';
import { summarise } from './stats';
import { runScript } from './runScript';

const clientCounts = [Number(process.env.FANOUT_CLIENTS ?? 1000), Number(process.env.FANOUT_LARGE ?? 10_000)].filter((n) => n > 0);
const changes = Number(process.env.FANOUT_CHANGES ?? 200);
const rate = Number(process.env.FANOUT_RATE ?? 20);
const withBefore = process.env.FANOUT_BEFORE !== '0';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Receipts {
  latencies: number[];
  /** client index → versions received (to count duplicates and losses). */
  seen: Set<number>[];
  duplicates: number;
  outOfOrder: number;
}

async function connectClients(urls: string[], eventId: string, count: number): Promise<{ sockets: Socket[]; receipts: Receipts }> {
  const receipts: Receipts = { latencies: [], seen: [], duplicates: 0, outOfOrder: 0 };
  const sockets: Socket[] = [];
  const ready: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const socket = io(urls[i % urls.length], { transports: ['websocket'], forceNew: true, reconnection: false });
    const seen = new Set<number>();
    let last = 0;
    receipts.seen.push(seen);
    socket.on(SeatMapEvents.update, (update: SeatUpdate) => {
      if (seen.has(update.version)) receipts.duplicates++;
      if (update.version < last) receipts.outOfOrder++;
      last = Math.max(last, update.version);
      seen.add(update.version);
      receipts.latencies.push(Date.now() - Date.parse(update.committed_at));
    });
    ready.push(
      new Promise((resolve, reject) => {
        socket.once(SeatMapEvents.snapshot, () => resolve());
        socket.once('connect_error', reject);
        socket.on('connect', () => socket.emit(SeatMapEvents.subscribe, { eventId }));
      }),
    );
    sockets.push(socket);
    // Connect in batches so the server is not hit by every handshake at once.
    if (i % 100 === 99) await Promise.all(ready.slice(i - 99, i + 1));
  }
  await Promise.all(ready);
  return { sockets, receipts };
}

async function createEvent(url: string, seats: number): Promise<string> {
  const res = await fetch(`${url}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: `fanout ${new Date().toISOString()}`, totalSeats: seats, holdSeconds: 900 }),
  });
  if (res.status !== 201) throw new Error(`creating the event answered ${res.status}`);
  return ((await res.json()) as { id: string }).id;
}

async function scenario(stack: BenchStack, label: string, nodes: ApiNode[], clients: number): Promise<void> {
  const urls = nodes.map((n) => n.url);
  const eventId = await createEvent(urls[0], changes + 10);
  const { sockets, receipts } = await connectClients(urls, eventId, clients);
  // Let the handshakes' after-work settle before measuring.
  await new Promise((resolve) => setTimeout(resolve, 1000));

  const started = Date.now();
  const sent: Promise<unknown>[] = [];
  for (let i = 0; i < changes; i++) {
    const due = started + (i * 1000) / rate;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
    // One committed seat change, as a booking's hold makes it.
    sent.push(
      stack.pool.query(`SELECT hold_seats($1, $2, $3, ARRAY[$4::int], now() + interval '15 minutes', NULL)`, [
        randomUUID(),
        eventId,
        `fan-${i}`,
        i + 1,
      ]),
    );
  }
  await Promise.all(sent);
  const expected = changes * clients;
  const deadline = Date.now() + 30_000;
  const delivered = () => receipts.seen.reduce((sum, s) => sum + s.size, 0);
  while (delivered() < expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));

  const s = summarise(receipts.latencies);
  console.log(
    `${label.padEnd(40)} clients ${String(clients).padStart(5)}  delivered ${delivered()}/${expected} ` +
      `(${((100 * delivered()) / Math.max(1, expected)).toFixed(2)}%)  duplicates ${receipts.duplicates}  ` +
      `out of order ${receipts.outOfOrder}  commit→receipt p50 ${s.p50} ms  p99 ${s.p99} ms  max ${s.max} ms`,
  );
  for (const socket of sockets) socket.close();
}

async function main(): Promise<void> {
  const stack = await startBenchStack('fanout');
  const before = withBefore ? checkoutTree(DEFAULT_BEFORE_REF) : undefined;
  const trees = [...(before ? [{ name: `before (${before.commit})`, dir: before.dir }] : []), { name: 'after (this tree)', dir: undefined }];
  console.log(`[bench:fanout] ${changes} changes at ${rate}/s per scenario; commit→receipt from the outbox row's committed_at`);
  try {
    for (const clients of clientCounts) {
      for (const tree of trees) {
        const single = await stack.startApiNode({}, tree.dir);
        try {
          await scenario(stack, `${tree.name}, one node`, [single], clients);
        } finally {
          await single.stop();
        }
        const cluster = { REDIS_URL: redisUrl, REDIS_CHANNEL_PREFIX: uniquePrefix() };
        const first = await stack.startApiNode(cluster, tree.dir);
        const second = await stack.startApiNode(cluster, tree.dir);
        try {
          await scenario(stack, `${tree.name}, two nodes over Redis`, [first, second], clients);
        } finally {
          await Promise.all([first.stop(), second.stop()]);
        }
      }
    }
  } finally {
    before?.remove();
    await stack.stop();
  }
}

runScript('bench:fanout', main);
