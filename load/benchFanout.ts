/**
 * `npm run bench:fanout`: commit-to-receipt latency of seat updates to 1,000 Socket.IO clients on
 * one event, first through one API node, then through two API nodes sharing Redis. Needs the
 * running stack (`npm start`: Temporal, worker, PostgreSQL); it starts its own API nodes.
 *
 *   FANOUT_CLIENTS (1000)  FANOUT_BOOKINGS (200)  FANOUT_RATE (20 bookings/s)  REDIS_URL (redis://127.0.0.1:6379)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { readEnv } from '../config/env';
import { createPool } from '../db/pool';
import { SeatMapEvents, type SeatSnapshot, type SeatUpdate } from '../domain/seatMap';
import { summarise } from './stats';

const clients = Number(process.env.FANOUT_CLIENTS ?? 1000);
const bookings = Number(process.env.FANOUT_BOOKINGS ?? 200);
const rate = Number(process.env.FANOUT_RATE ?? 20);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const root = path.resolve(__dirname, '..');

function startApiNode(port: number, extraEnv: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'api/main.ts')], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ...extraEnv },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`API node on ${port} exited (${code})`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening on')) resolve({ url: `http://127.0.0.1:${port}`, child });
    });
  });
}

async function post(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

interface Receipts {
  latencies: number[];
  /** client index → versions received (to count duplicates and losses). */
  seen: Set<number>[];
  duplicates: number;
}

async function connectClients(urls: string[], eventId: string): Promise<{ sockets: Socket[]; receipts: Receipts }> {
  const receipts: Receipts = { latencies: [], seen: [], duplicates: 0 };
  const sockets: Socket[] = [];
  const ready: Promise<void>[] = [];
  for (let i = 0; i < clients; i++) {
    const socket = io(urls[i % urls.length], { transports: ['websocket'], forceNew: true, reconnection: false });
    const seen = new Set<number>();
    receipts.seen.push(seen);
    socket.on(SeatMapEvents.update, (update: SeatUpdate) => {
      if (seen.has(update.version)) receipts.duplicates++;
      seen.add(update.version);
      receipts.latencies.push(Date.now() - Date.parse(update.committed_at));
    });
    ready.push(
      new Promise((resolve, reject) => {
        socket.once(SeatMapEvents.snapshot, (_snapshot: SeatSnapshot) => resolve());
        socket.once('connect_error', reject);
        socket.on('connect', () => socket.emit(SeatMapEvents.subscribe, { eventId }));
      }),
    );
    sockets.push(socket);
    // Connect in batches so the server is not hit by 1,000 handshakes at once.
    if (i % 100 === 99) await Promise.all(ready.slice(i - 99, i + 1));
  }
  await Promise.all(ready);
  return { sockets, receipts };
}

async function scenario(label: string, urls: string[], bookingUrl: string): Promise<void> {
  const env = readEnv();
  const pool = createPool(env.databaseUrl, 2);
  const created = await post(`${bookingUrl}/events`, {
    name: `fanout ${label} ${new Date().toISOString()}`,
    totalSeats: bookings + 10,
    priceCents: 500,
    holdSeconds: 900,
  });
  const eventId = String(created.json.id);
  const { sockets, receipts } = await connectClients(urls, eventId);
  const before = Number((await pool.query('SELECT version FROM seat_versions WHERE event_id = $1', [eventId])).rows[0].version);

  const started = Date.now();
  const sent: Promise<unknown>[] = [];
  for (let i = 0; i < bookings; i++) {
    const due = started + (i * 1000) / rate;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
    sent.push(post(`${bookingUrl}/bookings`, { eventId, userId: `fan-${i}`, seatNumbers: [i + 1] }));
  }
  await Promise.all(sent);
  const after = Number((await pool.query('SELECT version FROM seat_versions WHERE event_id = $1', [eventId])).rows[0].version);
  const changes = after - before;
  const expected = changes * clients;
  const deadline = Date.now() + 15_000;
  const delivered = () => receipts.seen.reduce((sum, s) => sum + s.size, 0);
  while (delivered() < expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));

  const s = summarise(receipts.latencies);
  console.log(
    `${label.padEnd(22)} clients ${clients}  changes ${changes}  delivered ${delivered()}/${expected} ` +
      `(${((100 * delivered()) / Math.max(1, expected)).toFixed(2)}%)  duplicates ${receipts.duplicates}  ` +
      `commit→receipt p50 ${s.p50} ms  p99 ${s.p99} ms  max ${s.max} ms`,
  );
  for (const socket of sockets) socket.close();
  await pool.end();
}

async function main(): Promise<void> {
  const base = 3300 + Math.floor(Math.random() * 500);
  const children: ChildProcess[] = [];
  try {
    const single = await startApiNode(base, { REDIS_URL: '' });
    children.push(single.child);
    await scenario('one node', [single.url], single.url);
    single.child.kill('SIGTERM');

    const nodeA = await startApiNode(base + 1, { REDIS_URL: redisUrl });
    const nodeB = await startApiNode(base + 2, { REDIS_URL: redisUrl });
    children.push(nodeA.child, nodeB.child);
    await scenario('two nodes over Redis', [nodeA.url, nodeB.url], nodeA.url);
  } finally {
    for (const child of children) child.kill('SIGTERM');
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error('[bench:fanout] failed:', (err as Error).message);
    process.exit(1);
  },
);
