import type { Server, Socket } from 'socket.io';
import { z } from 'zod';
import { ErrorCode } from '../../domain/errorCodes';
import { QueueEvents } from '../../domain/waitingRoomMessages';
import type { ApiDeps } from '../deps';
import { placeWatcher } from './placeWatcher';

const SubscribeSchema = z.object({ eventId: z.uuid(), queueId: z.uuid() });

// One waiting room is what a buyer watches; a few allow for tabs on several events.
const MAX_PLACES_PER_SOCKET = 5;

function refuse(socket: Socket, code: string, message: string): void {
  socket.emit(QueueEvents.error, { error: true, code, message });
}

/**
 * Queue places over Socket.IO: a client that sends `queue:subscribe {eventId, queueId}` gets
 * `queue_place` now and on every change. The queue id is the permission: a random UUID only its
 * holder was given (and, with auth on, only its owner can read). Each node serves its own sockets
 * from the queue news it hears (QueueFeed), so nothing is broadcast per place across nodes.
 */
export function handleQueueSockets(io: Server, deps: Pick<ApiDeps, 'waitingRoom' | 'pool'>): void {
  io.on('connection', (socket) => {
    const watching = new Map<string, () => void>();
    socket.on(QueueEvents.subscribe, async (raw: unknown) => {
      const parsed = SubscribeSchema.safeParse(raw);
      if (!parsed.success) return refuse(socket, ErrorCode.ValidationFailed, `${QueueEvents.subscribe} needs {eventId: uuid, queueId: uuid}`);
      const { eventId, queueId } = parsed.data;
      if (watching.has(queueId)) return;
      if (watching.size >= MAX_PLACES_PER_SOCKET) {
        return refuse(socket, ErrorCode.SubscriptionLimit, `A connection may watch at most ${MAX_PLACES_PER_SOCKET} queue places`);
      }
      let place;
      try {
        place = await deps.waitingRoom.store.read(eventId, queueId);
      } catch (err) {
        return refuse(socket, ErrorCode.ServiceUnavailable, `Could not read the queue place: ${(err as Error).message}`);
      }
      if (!place) return refuse(socket, ErrorCode.QueuePlaceNotFound, `Queue place ${queueId} not found`);
      if (watching.has(queueId) || socket.disconnected) return;
      watching.set(queueId, placeWatcher(deps, eventId, queueId, (view) => socket.emit(QueueEvents.place, view)));
    });
    socket.on(QueueEvents.unsubscribe, (raw: unknown) => {
      const parsed = SubscribeSchema.safeParse(raw);
      if (!parsed.success) return;
      watching.get(parsed.data.queueId)?.();
      watching.delete(parsed.data.queueId);
    });
    socket.on('disconnect', () => {
      for (const stop of watching.values()) stop();
      watching.clear();
    });
  });
}
