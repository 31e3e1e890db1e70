import type { Context } from 'koa';
import type { SeatSnapshot, SeatUpdate } from '../../../domain/seatMap';
import type { Pool } from '../../../db/pool';
import { readSeatChangesSince } from '../../../db/queries/seatChanges';
import type { SeatFeed } from '../../realtime/seatFeed';
import type { SeatMapCache } from '../../realtime/seatMapCache';
import { openEventStream, type EventStream } from '../../realtime/serverSentEvents';

/**
 * Server-sent events for one event's seat map: a compact snapshot (or, with Last-Event-ID, the updates
 * missed since that version), then every update in order. Updates that arrive while catching up
 * are held back and sent after, without repeats. A reader never sees a version skipped: an update
 * that does not follow the last one sent (the snapshot came from a cache still waiting for a change,
 * or the feed lost one) is preceded by the missing changes, read from the outbox; if the outbox no
 * longer has them, the stream ends and EventSource reconnects with Last-Event-ID, which starts over.
 */
export async function streamSeatMap(
  ctx: Context,
  deps: { pool: Pool; feed: SeatFeed; seatMaps: SeatMapCache },
  eventId: string,
): Promise<void> {
  const { pool, feed, seatMaps } = deps;
  const lastEventId = Number(ctx.get('Last-Event-ID') || ctx.query.sinceVersion);
  const since = Number.isInteger(lastEventId) && lastEventId >= 0 ? lastEventId : undefined;

  let stream: EventStream | undefined;
  let sentVersion = -1;
  let pending: SeatUpdate[] | undefined = [];
  // Updates are sent one after another, each after any gap before it is filled.
  let sending = Promise.resolve();
  const emit = (update: SeatUpdate) => {
    if (update.version <= sentVersion) return;
    sentVersion = update.version;
    stream?.send('seat_update', update.version, update);
  };
  const fillGapThenEmit = async (update: SeatUpdate) => {
    if (update.version > sentVersion + 1) {
      const missed = await readSeatChangesSince(pool, eventId, sentVersion);
      if (missed?.[0]?.version !== sentVersion + 1) {
        stream?.end();
        return;
      }
      for (const change of missed) if (change.version < update.version) emit(change);
    }
    emit(update);
  };
  const send = (update: SeatUpdate) => {
    sending = sending
      .then(() => fillGapThenEmit(update))
      .catch(() => stream?.end());
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

  stream = openEventStream(ctx, unsubscribe);
  if (snapshot) {
    sentVersion = snapshot.version;
    stream.send('seat_snapshot', snapshot.version, snapshot);
  } else {
    sentVersion = since ?? 0;
    for (const update of missed ?? []) emit(update);
  }
  const held = pending;
  pending = undefined;
  for (const update of held) send(update);
}
