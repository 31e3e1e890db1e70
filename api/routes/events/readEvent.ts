import { readSeatVersion } from '../../../db/queries/seatMaps';
import type { ListedEvent } from '../../../db/queries/events';
import type { EventRecord, EventTerms } from '../../../domain/event';
import type { ApiDeps } from '../../deps';
import { eventNotFound } from '../../errors';
import { EventIdSchema } from './schema';

type ReadDeps = Pick<ApiDeps, 'pool' | 'eventTerms' | 'seatMaps'>;

// How long a read waits for a change the database already has to come through the feed, before it
// reads the map again (normally milliseconds; longer only when the listener lags or reconnects).
const FEED_WAIT_MS = 250;

/** The event with its availability counted from this node's seat map, at `seatVersion` or later. */
async function withAvailability(deps: ReadDeps, terms: EventTerms, seatVersion: number): Promise<EventRecord | undefined> {
  const map = await deps.seatMaps.getAtLeast(terms.id, seatVersion, FEED_WAIT_MS);
  return map ? { ...terms, availableSeats: map.availableSeats } : undefined;
}

/**
 * GET /events/:id from this node's memory: the row from the event cache, the availability counted
 * from the compact seat map. One small query (the event's seat-change version, an index lookup)
 * keeps it as fresh as a read of the database: a buyer who just booked sees the seats gone.
 * It replaces reading the row and counting the event's available seat rows (100,000 on a stadium).
 */
export async function readEvent(deps: ReadDeps, rawId: string): Promise<EventRecord> {
  const id = EventIdSchema.safeParse(rawId);
  if (!id.success) throw eventNotFound(rawId);
  const [terms, version] = await Promise.all([deps.eventTerms.get(id.data), readSeatVersion(deps.pool, id.data)]);
  const event = terms && version !== undefined ? await withAvailability(deps, terms, version) : undefined;
  if (!event) throw eventNotFound(rawId);
  return event;
}

/** GET /events: each listed event's availability from the seat maps, at the version the list was read at. */
export async function withAvailabilities(deps: ReadDeps, listed: ListedEvent[]): Promise<EventRecord[]> {
  const events = await Promise.all(listed.map(({ terms, seatVersion }) => withAvailability(deps, terms, seatVersion)));
  // An event deleted between the list and its map is left out.
  return events.filter((event): event is EventRecord => event !== undefined);
}
