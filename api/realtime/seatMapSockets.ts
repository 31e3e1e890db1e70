import type { Server, Socket } from 'socket.io';
import { z } from 'zod';
import { ErrorCode } from '../../domain/errorCodes';
import { SeatMapEvents, type SeatUpdate } from '../../domain/seatMap';
import type { Pool } from '../../db/pool';
import { readSeatChangesSince } from '../../db/queries/seatChanges';
import type { SeatFeed } from './seatFeed';
import type { SeatMapCache } from './seatMapCache';

const SubscribeSchema = z.object({
  eventId: z.uuid(),
  /** The last version the client applied: it gets what it missed instead of a snapshot, if kept. */
  sinceVersion: z.number().int().nonnegative().optional(),
});

const ROOM_PREFIX = 'event:';
// Reads of the outbox to catch a client up while changes keep coming, before a snapshot is sent instead.
const CATCH_UP_ATTEMPTS = 3;
export const seatMapRoom = (eventId: string) => `${ROOM_PREFIX}${eventId}`;

export interface SeatMapSocketDeps {
  pool: Pool;
  feed: SeatFeed;
  seatMaps: SeatMapCache;
  maxSubscriptions: number;
}

/** Whether joining `room` would take the socket past `max` seat maps (a room it is already in is free). */
function overSubscriptionLimit(socket: Socket, room: string, max: number): boolean {
  if (socket.rooms.has(room)) return false;
  let watching = 0;
  for (const joined of socket.rooms) if (joined.startsWith(ROOM_PREFIX)) watching++;
  return watching >= max;
}

/**
 * Brings a client up to date and joins it to the event's room in one tick, with nothing awaited
 * between the catch-up sent and the join: this node's room gets a change in the same tick as its
 * feed and seat-map cache, so every change reaches the client exactly once, in order.
 * Missed updates (when the outbox still has them all) up to the last change this node has
 * published: newer ones are still on their way to the room. Else a snapshot from the node's seat-map
 * cache (no query once the event is loaded). Answers false when the event does not exist.
 */
async function catchUpAndJoin(socket: Socket, deps: SeatMapSocketDeps, eventId: string, sinceVersion: number | undefined): Promise<boolean> {
  const room = seatMapRoom(eventId);
  for (let attempt = 0; sinceVersion !== undefined && attempt < CATCH_UP_ATTEMPTS; attempt++) {
    const missed = await readSeatChangesSince(deps.pool, eventId, sinceVersion);
    if (!missed) break;
    const published = deps.feed.lastVersion(eventId);
    // Changes published while the outbox was read went to the room without this socket: read again.
    if (published !== undefined && published > (missed.at(-1)?.version ?? sinceVersion)) continue;
    for (const update of missed) if (published === undefined || update.version <= published) socket.emit(SeatMapEvents.update, update);
    void socket.join(room);
    return true;
  }
  if (!(await deps.seatMaps.get(eventId))) return false;
  // Read again after the await: changes may have been applied meanwhile, and the room has sent those already.
  const view = deps.seatMaps.peek(eventId);
  if (!view) return false;
  socket.emit(SeatMapEvents.snapshot, view.snapshot());
  void socket.join(room);
  return true;
}

function refuse(socket: Socket, code: string, message: string): void {
  socket.emit(SeatMapEvents.error, { error: true, code, message });
}

/** Seat-map subscriptions. A client joins an event's room only once the event is known to exist. */
export function handleSeatMapSockets(io: Server, deps: SeatMapSocketDeps): void {
  io.on('connection', (socket) => {
    // Subscriptions being caught up, so concurrent subscribes cannot overshoot the limit.
    const joining = new Set<string>();
    const subscribe = async (raw: unknown) => {
      const parsed = SubscribeSchema.safeParse(raw);
      if (!parsed.success) return refuse(socket, ErrorCode.ValidationFailed, 'subscribe needs {eventId: uuid, sinceVersion?: integer}');
      const { eventId, sinceVersion } = parsed.data;
      const room = seatMapRoom(eventId);
      if (!joining.has(room) && overSubscriptionLimit(socket, room, deps.maxSubscriptions - joining.size)) {
        return refuse(socket, ErrorCode.SubscriptionLimit, `A connection may watch at most ${deps.maxSubscriptions} seat maps: unsubscribe from one first`);
      }
      // A resync of a room the socket is in: leave it, so the catch-up and the join stay one step.
      if (socket.rooms.has(room)) await socket.leave(room);
      joining.add(room);
      try {
        if (!(await catchUpAndJoin(socket, deps, eventId, sinceVersion))) refuse(socket, ErrorCode.EventNotFound, `Event ${eventId} not found`);
      } catch (err) {
        refuse(socket, ErrorCode.ServiceUnavailable, `Could not load the seat map: ${(err as Error).message}`);
      } finally {
        joining.delete(room);
      }
    };
    socket.on(SeatMapEvents.subscribe, subscribe);
    socket.on(SeatMapEvents.resync, subscribe);
    socket.on(SeatMapEvents.unsubscribe, async (raw: unknown) => {
      const parsed = SubscribeSchema.pick({ eventId: true }).safeParse(raw);
      if (parsed.success) await socket.leave(seatMapRoom(parsed.data.eventId));
    });
  });
}

/**
 * Sends a committed change to this node's subscribers of its event. Every node does so from its own
 * feed (the relay's, or the relay's message over Redis), so the packet is encoded once per node.
 */
export function broadcastSeatUpdate(io: Server, update: SeatUpdate): void {
  io.local.to(seatMapRoom(update.event_id)).emit(SeatMapEvents.update, update);
}
