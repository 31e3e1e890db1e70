import { PassThrough } from 'node:stream';
import type { Context } from 'koa';
import type { SeatSnapshot, SeatUpdate } from '../../../domain/seatMap';
import type { Pool } from '../../../db/pool';
import { readSeatChangesSince } from '../../../db/queries/seatChanges';
import type { SeatFeed } from '../../realtime/seatFeed';
import type { SeatMapCache } from '../../realtime/seatMapCache';

const HEARTBEAT_MS = 15_000;

function frame(event: string, id: number, data: unknown): string {
  return `event: ${event}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Server-sent events for one event's seat map: a compact snapshot (or, with Last-Event-ID, the updates
 * missed since that version), then every update in order. Updates that arrive while catching up
 * are held back and sent after, without repeats.
 */
export async function streamSeatMap(
  ctx: Context,
  deps: { pool: Pool; feed: SeatFeed; seatMaps: SeatMapCache },
  eventId: string,
): Promise<void> {
  const { pool, feed, seatMaps } = deps;
  const lastEventId = Number(ctx.get('Last-Event-ID') || ctx.query.sinceVersion);
  const since = Number.isInteger(lastEventId) && lastEventId >= 0 ? lastEventId : undefined;

  const stream = new PassThrough();
  let sentVersion = -1;
  let pending: SeatUpdate[] | undefined = [];
  const send = (update: SeatUpdate) => {
    if (update.version <= sentVersion) return;
    sentVersion = update.version;
    stream.write(frame('seat_update', update.version, update));
  };
  // Subscribe before reading, so nothing committed in between is missed.
  const unsubscribe = feed.subscribe(eventId, (update) => (pending ? pending.push(update) : send(update)));

  let missed: SeatUpdate[] | undefined;
  let snapshot: SeatSnapshot | undefined;
  try {
    missed = since !== undefined ? await readSeatChangesSince(pool, eventId, since) : undefined;
    // The compact map from this node's cache: no query once the event is loaded.
    snapshot = missed ? undefined : (await seatMaps.get(eventId))?.snapshot();
  } catch (err) {
    unsubscribe();
    throw err;
  }

  ctx.req.socket.setTimeout(0);
  ctx.req.socket.setNoDelay(true);
  ctx.set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
  ctx.status = 200;
  // Piped here rather than left to Koa, whose pipeline reports every reader that goes away as a server error.
  ctx.respond = false;
  ctx.res.flushHeaders();
  stream.pipe(ctx.res);

  if (snapshot) {
    sentVersion = snapshot.version;
    stream.write(frame('seat_snapshot', snapshot.version, snapshot));
  } else {
    sentVersion = since ?? 0;
    for (const update of missed ?? []) send(update);
  }
  const held = pending;
  pending = undefined;
  for (const update of held) send(update);

  const heartbeat = setInterval(() => stream.write(': keep-alive\n\n'), HEARTBEAT_MS);
  const close = () => {
    clearInterval(heartbeat);
    unsubscribe();
    stream.end();
  };
  // The reader may have left while the catch-up was read.
  if (ctx.req.socket.destroyed) close();
  else ctx.res.once('close', close);
}
