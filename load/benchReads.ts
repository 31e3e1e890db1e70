/**
 * `npm run bench:reads`: reading a 100,000-seat event with 200 concurrent readers while bookings go
 * on, in an older tree (BENCH_BEFORE_REF) and this one, side by side: size on the wire and p50/p99 of
 * the JSON GET /events/:id/seats, GET /events/:id/seat-map (br; and revalidating with If-None-Match)
 * where the tree has it, and GET /events/:id; plus the Socket.IO snapshot's size. Two ways to read:
 * closed loop (each reader sends its next request as soon as it has the answer: the node's capacity,
 * latency is mostly queueing), and paced (each reader reads every READS_PACE_MS, as a page that
 * refreshes would: the latency a reader sees at that load). One private stack (load/benchStack.ts).
 *
 *   READS_SEATS (100000)  READS_READERS (200)  READS_JSON_READERS (20: 200 readers of 5.7 MB answers
 *   would hold the machine for minutes)  READS_SECONDS (10)  READS_CHANGES_PER_SECOND (50)
 *   READS_PACE_MS (100: 200 readers → 2,000 reads/s offered)  READS_JSON (1; 0 skips the JSON seats)
 *   READS_FLOOR (1: also the same readers against a bare Node server sending the same bytes, the floor)
 *   READS_BEFORE (1; 0 runs only this tree)  BENCH_BEFORE_REF (e11a6d6; a8c34c5 has the seat map read through Koa)
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { io } from 'socket.io-client';
import { SeatMapEvents } from '../domain/seatMap';
import { checkoutTree, DEFAULT_BEFORE_REF, startBenchStack, type ApiNode, type BenchStack } from './benchStack';
import { runClosedLoop, runPaced, summarise } from './stats';
import { runScript } from './runScript';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cpuSeconds, startPart } from './processes';
import { rawConnectionPool, type RawResponse } from './rawHttpClient';

const seats = Number(process.env.READS_SEATS ?? 100_000);
const readers = Number(process.env.READS_READERS ?? 200);
const jsonReaders = Number(process.env.READS_JSON_READERS ?? 20);
// Kept-alive connections, one per reader, as browsers (or a CDN) would keep them.
const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(readers, jsonReaders) });
// READS_CLIENT=node reads with Node's http client, which costs more CPU per request than the server does.
const useNodeClient = process.env.READS_CLIENT === 'node';
const rawPools = new Map<string, ReturnType<typeof rawConnectionPool>>();

function nodeGet(url: string, headers: Record<string, string>): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers }, (res) => {
      let wireBytes = 0;
      res.on('data', (chunk: Buffer) => (wireBytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers as Record<string, string>, wireBytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

async function closeReaders(baseUrl: string): Promise<void> {
  const { origin } = new URL(baseUrl);
  const pool = rawPools.get(origin);
  rawPools.delete(origin);
  (await pool)?.close();
}

async function get(url: string, headers: Record<string, string>): Promise<RawResponse> {
  if (useNodeClient) return nodeGet(url, headers);
  const { origin, pathname, search } = new URL(url);
  let pool = rawPools.get(origin);
  if (!pool) {
    pool = rawConnectionPool(origin, Math.max(readers, jsonReaders));
    rawPools.set(origin, pool);
  }
  return (await pool).get(pathname + search, headers);
}

const seconds = Number(process.env.READS_SECONDS ?? 10);
const changesPerSecond = Number(process.env.READS_CHANGES_PER_SECOND ?? 50);
const withBefore = process.env.READS_BEFORE !== '0';
const paceMs = Number(process.env.READS_PACE_MS ?? 100);
const withJson = process.env.READS_JSON !== '0';
const withFloor = process.env.READS_FLOOR !== '0';

async function createEvent(url: string): Promise<string> {
  const res = await fetch(`${url}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: `reads ${new Date().toISOString()}`, totalSeats: seats, holdSeconds: 3600, maxSeatsPerBooking: 10 }),
  });
  if (res.status !== 201) throw new Error(`creating the event answered ${res.status}`);
  return ((await res.json()) as { id: string }).id;
}

/** Commits seat changes (holds of 4 random seats, as a booking's hold does) until stopped. */
function bookingsGoOn(stack: BenchStack, eventId: string): { stop(): Promise<number> } {
  let running = true;
  let made = 0;
  const loop = (async () => {
    const started = Date.now();
    for (let i = 0; running; i++) {
      const due = started + (i * 1000) / changesPerSecond;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
      const wanted = Array.from({ length: 4 }, () => 1 + Math.floor(Math.random() * seats));
      const { rows } = await stack.pool.query<{ result: { kind: string } }>(
        `SELECT hold_seats($1, $2, $3, $4::int[], now() + interval '1 hour', NULL) AS result`,
        [randomUUID(), eventId, `reader-${i}`, [...new Set(wanted)]],
      );
      if (rows[0].result.kind === 'held') made++;
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return made;
    },
  };
}

async function snapshotBytes(url: string, eventId: string): Promise<number> {
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  try {
    return await new Promise<number>((resolve, reject) => {
      socket.once('connect_error', reject);
      socket.once(SeatMapEvents.snapshot, (snapshot: unknown) => resolve(Buffer.byteLength(JSON.stringify(snapshot))));
      socket.on('connect', () => socket.emit(SeatMapEvents.subscribe, { eventId }));
    });
  } finally {
    socket.close();
  }
}

async function measureReaders(
  node: ApiNode,
  label: string,
  count: number,
  url: string,
  headers: () => Record<string, string>,
  after: (res: RawResponse) => void,
  paced = false,
): Promise<void> {
  const sizes: number[] = [];
  const statuses = new Map<number, number>();
  const attempt = async () => {
    const res = await get(url, headers());
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    sizes.push(res.wireBytes);
    after(res);
    return res.status === 200 || res.status === 304;
  };
  // CPU of the API node and of these readers (this process) over the whole run, warm-up included.
  const [nodeCpu, ownCpu, t0] = [cpuSeconds(node.pid), cpuSeconds(process.pid), performance.now()];
  const result = paced ? await runPaced(count, paceMs, seconds * 1000, 2000, attempt) : await runClosedLoop(count, seconds * 1000, 2000, attempt);
  const wall = (performance.now() - t0) / 1000;
  const cpu = (pid: number, before: number) => `${Math.round((100 * (cpuSeconds(pid) - before)) / wall)} %`;
  const cpuSplit = `CPU node ${cpu(node.pid, nodeCpu)} readers ${cpu(process.pid, ownCpu)}`;
  const s = summarise(result.latencies);
  const wire = summarise(sizes);
  console.log(
    `${label.padEnd(58)} ${String(count).padStart(3)} readers  ${(result.ok / result.seconds).toFixed(1).padStart(7)} reads/s  ` +
      `p50 ${s.p50.toFixed(1)} ms  p99 ${s.p99.toFixed(1)} ms  wire p50 ${wire.p50} B  max ${wire.max} B  ` +
      `failed ${result.failed}  ${cpuSplit}  statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
  );
}

/** Closed loop, then paced: the same readers of one URL, each remembering the last ETag when `revalidate`. */
async function measureBoth(node: ApiNode, label: string, url: string, revalidate: boolean): Promise<void> {
  let etag = '';
  const headers = () => ({ 'accept-encoding': 'br, gzip', ...(revalidate && etag ? { 'if-none-match': etag } : {}) });
  const remember = (res: RawResponse) => {
    etag = res.headers.etag ?? etag;
  };
  await measureReaders(node, `${label}, closed loop`, readers, url, headers, remember);
  await measureReaders(node, `${label}, one per ${paceMs} ms each`, readers, url, headers, remember, true);
}

/** The same readers against a bare Node server sending the map's current bytes: what any Node answer costs here. */
async function measureFloor(tree: string, mapUrl: string): Promise<void> {
  const body = await new Promise<Buffer>((resolve, reject) => {
    http.get(mapUrl, { headers: { 'accept-encoding': 'br' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(Buffer.concat(chunks)));
      res.on('error', reject);
    }).on('error', reject);
  });
  const file = path.join(os.tmpdir(), `seatflow-bare-${process.pid}.br`);
  fs.writeFileSync(file, body);
  const bare = await startPart('load/bareHttpServer.ts', { BARE_BODY_FILE: file }, 'bare server listening');
  try {
    const url = /listening on (\S+)/.exec(bare.readyLine)?.[1] ?? '';
    const node: ApiNode = { url, pid: bare.child.pid ?? 0, stop: bare.stop };
    await measureBoth(node, `${tree}: floor, a bare Node server (${body.length} B)`, `${url}/seat-map`, false);
    await closeReaders(url);
  } finally {
    await bare.stop();
    fs.rmSync(file, { force: true });
  }
}

async function scenario(stack: BenchStack, tree: string, node: ApiNode, floor = false): Promise<void> {
  const eventId = await createEvent(node.url);
  console.log(`${tree}: Socket.IO snapshot of ${seats} seats: ${await snapshotBytes(node.url, eventId)} bytes of JSON`);
  const mapUrl = `${node.url}/events/${eventId}/seat-map`;
  const hasSeatMap = (await get(mapUrl, {})).status === 200;
  const bookings = bookingsGoOn(stack, eventId);
  try {
    if (withJson) {
      await measureReaders(node, `${tree}: GET /events/:id/seats (JSON)`, jsonReaders, `${node.url}/events/${eventId}/seats`, () => ({ 'accept-encoding': 'br, gzip' }), () => undefined);
    }
    if (hasSeatMap) {
      await measureBoth(node, `${tree}: GET /seat-map (br)`, mapUrl, false);
      await measureBoth(node, `${tree}: GET /seat-map, If-None-Match`, mapUrl, true);
    }
    await measureBoth(node, `${tree}: GET /events/:id`, `${node.url}/events/${eventId}`, false);
    if (floor && withFloor) await measureFloor(tree, mapUrl);
  } finally {
    console.log(`${tree}: ${await bookings.stop()} holds committed meanwhile (${changesPerSecond}/s asked)`);
  }
}

async function main(): Promise<void> {
  const stack = await startBenchStack('reads');
  const before = withBefore ? checkoutTree(DEFAULT_BEFORE_REF) : undefined;
  console.log(`[bench:reads] ${seats} seats, ${readers} concurrent readers for ${seconds} s each (after 2 s warm-up)`);
  try {
    if (before) {
      const node = await stack.startApiNode({}, before.dir);
      try {
        await scenario(stack, `before (${before.commit})`, node);
      } finally {
        await closeReaders(node.url);
        await node.stop();
      }
    }
    const node = await stack.startApiNode();
    try {
      await scenario(stack, 'after (this tree)', node, true);
    } finally {
      await closeReaders(node.url);
      await node.stop();
    }
  } finally {
    before?.remove();
    await stack.stop();
  }
}

runScript('bench:reads', main);
