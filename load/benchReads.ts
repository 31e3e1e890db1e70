/**
 * `npm run bench:reads`: reading a 100,000-seat event's seat map with 200 concurrent readers while
 * bookings go on: size on the wire and p50/p99 of the JSON GET /events/:id/seats (the code before the
 * read-side work, and this tree) next to GET /events/:id/seat-map (this tree, br; and revalidating
 * with If-None-Match), plus the Socket.IO snapshot's size. One private stack (load/benchStack.ts).
 *
 *   READS_SEATS (100000)  READS_READERS (200)  READS_JSON_READERS (20: 200 readers of 5.7 MB answers
 *   would hold the machine for minutes)  READS_SECONDS (10)  READS_CHANGES_PER_SECOND (50)
 *   READS_BEFORE (1; 0 runs only this tree)  BENCH_BEFORE_REF (e11a6d6)
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { io } from 'socket.io-client';
import { SeatMapEvents } from '../domain/seatMap';
import { checkoutTree, DEFAULT_BEFORE_REF, startBenchStack, type ApiNode, type BenchStack } from './benchStack';
import { runClosedLoop, summarise } from './stats';
import { runScript } from './runScript';

const seats = Number(process.env.READS_SEATS ?? 100_000);
const readers = Number(process.env.READS_READERS ?? 200);
const jsonReaders = Number(process.env.READS_JSON_READERS ?? 20);
// Kept-alive connections, one per reader, as browsers (or a CDN) would keep them.
const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(readers, jsonReaders) });

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Bytes as they came over the wire (compressed when encoded): not decoded, as the server sent them. */
  wireBytes: number;
}

function get(url: string, headers: Record<string, string>): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers }, (res) => {
      let wireBytes = 0;
      res.on('data', (chunk: Buffer) => (wireBytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, wireBytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}
const seconds = Number(process.env.READS_SECONDS ?? 10);
const changesPerSecond = Number(process.env.READS_CHANGES_PER_SECOND ?? 50);
const withBefore = process.env.READS_BEFORE !== '0';

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
  label: string,
  count: number,
  url: string,
  headers: () => Record<string, string>,
  after: (res: RawResponse) => void,
): Promise<void> {
  const sizes: number[] = [];
  const statuses = new Map<number, number>();
  const result = await runClosedLoop(count, seconds * 1000, 2000, async () => {
    const res = await get(url, headers());
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    sizes.push(res.wireBytes);
    after(res);
    return res.status === 200 || res.status === 304;
  });
  const s = summarise(result.latencies);
  const wire = summarise(sizes);
  console.log(
    `${label.padEnd(46)} ${String(count).padStart(3)} readers  ${(result.ok / result.seconds).toFixed(1).padStart(7)} reads/s  ` +
      `p50 ${s.p50.toFixed(1)} ms  p99 ${s.p99.toFixed(1)} ms  wire p50 ${wire.p50} B  max ${wire.max} B  ` +
      `failed ${result.failed}  statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
  );
}

async function scenario(stack: BenchStack, tree: string, node: ApiNode, compact: boolean): Promise<void> {
  const eventId = await createEvent(node.url);
  console.log(`${tree}: Socket.IO snapshot of ${seats} seats: ${await snapshotBytes(node.url, eventId)} bytes of JSON`);
  const bookings = bookingsGoOn(stack, eventId);
  try {
    await measureReaders(`${tree}: GET /events/:id/seats (JSON)`, jsonReaders, `${node.url}/events/${eventId}/seats`, () => ({ 'accept-encoding': 'br, gzip' }), () => undefined);
    if (compact) {
      const mapUrl = `${node.url}/events/${eventId}/seat-map`;
      await measureReaders(`${tree}: GET /events/:id/seat-map (br)`, readers, mapUrl, () => ({ 'accept-encoding': 'br, gzip' }), () => undefined);
      let etag = '';
      await measureReaders(
        `${tree}: GET /events/:id/seat-map, If-None-Match`,
        readers,
        mapUrl,
        () => ({ 'accept-encoding': 'br, gzip', ...(etag ? { 'if-none-match': etag } : {}) }),
        (res) => {
          etag = typeof res.headers.etag === 'string' ? res.headers.etag : etag;
        },
      );
    }
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
        await scenario(stack, `before (${before.commit})`, node, false);
      } finally {
        await node.stop();
      }
    }
    const node = await stack.startApiNode();
    try {
      await scenario(stack, 'after (this tree)', node, true);
    } finally {
      await node.stop();
    }
  } finally {
    before?.remove();
    await stack.stop();
  }
}

runScript('bench:reads', main);
