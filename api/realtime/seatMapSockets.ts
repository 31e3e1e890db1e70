import type { Server, Socket } from 'socket.io';
import { z } from 'zod';
import { ErrorCode } from '../../domain/errorCodes';
import { SeatMapEvents, type SeatUpdate } from '../../domain/seatMap';
import type { Pool } from '../../db/pool';
import { readSeatChangesSince, readSeatSnapshot } from '../../db/queries/seatChanges';

const SubscribeSchema = z.object({
  eventId: z.uuid(),
  /** The last version the client applied: it gets what it missed instead of a snapshot, if kept. */
  sinceVersion: z.number().int().nonnegative().optional(),
});

const ROOM_PREFIX = 'event:';
export const seatMapRoom = (eventId: string) => `${ROOM_PREFIX}${eventId}`;

/** Whether joining `room` would take the socket past `max` seat maps (a room it is already in is free). */
function overSubscriptionLimit(socket: Socket, room: string, max: number): boolean {
  if (socket.rooms.has(room)) return false;
  let watching = 0;
  for (const joined of socket.rooms) if (joined.startsWith(ROOM_PREFIX)) watching++;
  return watching >= max;
}

/**
 * Sends a client up to date: the updates after `sinceVersion` when the outbox still has them all,
 * else a snapshot. Answers false when the event does not exist.
 */
async function catchUp(socket: Socket, pool: Pool, eventId: string, sinceVersion: number | undefined): Promise<boolean> {
  if (sinceVersion !== undefined) {
    const missed = await readSeatChangesSince(pool, eventId, sinceVersion);
    // Defined only for an existing event whose changes since that version are all still kept.
    if (missed) {
      for (const update of missed) socket.emit(SeatMapEvents.update, update);
      return true;
    }
  }
  const snapshot = await readSeatSnapshot(pool, eventId);
  if (!snapshot) return false;
  socket.emit(SeatMapEvents.snapshot, snapshot);
  return true;
}

function refuse(socket: Socket, code: string, message: string): void {
  socket.emit(SeatMapEvents.error, { error: true, code, message });
}

/**
 * Seat-map subscriptions. A client joins an event's room only once the event is known to exist,
 * and joins before it is caught up, so no committed change can fall between the two.
 */
export function handleSeatMapSockets(io: Server, pool: Pool, maxSubscriptions: number): void {
  io.on('connection', (socket) => {
    const subscribe = async (raw: unknown) => {
      const parsed = SubscribeSchema.safeParse(raw);
      if (!parsed.success) return refuse(socket, ErrorCode.ValidationFailed, 'subscribe needs {eventId: uuid, sinceVersion?: integer}');
      const { eventId, sinceVersion } = parsed.data;
      const room = seatMapRoom(eventId);
      // Counted and joined with no await in between, so concurrent subscribes cannot overshoot.
      if (overSubscriptionLimit(socket, room, maxSubscriptions)) {
        return refuse(socket, ErrorCode.SubscriptionLimit, `A connection may watch at most ${maxSubscriptions} seat maps: unsubscribe from one first`);
      }
      const wasIn = socket.rooms.has(room);
      await socket.join(room);
      try {
        if (!(await catchUp(socket, pool, eventId, sinceVersion))) {
          if (!wasIn) await socket.leave(room);
          refuse(socket, ErrorCode.EventNotFound, `Event ${eventId} not found`);
        }
      } catch (err) {
        refuse(socket, ErrorCode.ServiceUnavailable, `Could not load the seat map: ${(err as Error).message}`);
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

/** Sends a committed change to every subscriber of its event, on every node (via the adapter). */
export function broadcastSeatUpdate(io: Server, update: SeatUpdate): void {
  io.to(seatMapRoom(update.event_id)).emit(SeatMapEvents.update, update);
}
