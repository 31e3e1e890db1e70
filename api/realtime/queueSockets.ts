import type { Server, Socket } from 'socket.io';
import { z } from 'zod';
import { ErrorCode } from '../../domain/errorCodes';
import { QueueEvents } from '../../domain/waitingRoomMessages';
import type { AuthSettings } from '../auth/authenticate';
import type { ApiDeps } from '../deps';
import { AppError } from '../errors';
import type { Caller } from '../policies/caller';
import { loadQueuePlaceFor } from '../policies/queuePlaces';
import { placeWatcher } from './placeWatcher';

const SubscribeSchema = z.object({ eventId: z.uuid(), queueId: z.uuid() });

// One waiting room is what a buyer watches; a few allow for tabs on several events.
const MAX_PLACES_PER_SOCKET = 5;

function refuse(socket: Socket, code: string, message: string): void {
  socket.emit(QueueEvents.error, { error: true, code, message });
}

/** The connection's caller, from the bearer token sent as `auth: {token}` in the handshake (the HTTP routes' rules). */
async function callerOfSocket(socket: Socket, auth: AuthSettings): Promise<Caller | undefined> {
  const token: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.token;
  if (typeof token !== 'string' || token === '') return { principal: undefined, authRequired: auth.required };
  const principal = await auth.verify(token);
  return principal ? { principal, authRequired: auth.required } : undefined;
}

/**
 * Queue places over Socket.IO: a client that sends `queue:subscribe {eventId, queueId}` gets
 * `queue_place` now and on every change. Who may watch a place is decided as for
 * `GET /events/:id/queue/:queueId` (loadQueuePlaceFor): with auth on, only its owner (or staff),
 * by the token sent in the handshake; anyone else hears QUEUE_PLACE_NOT_FOUND. Each node serves its
 * own sockets from the queue news it hears (QueueFeed), so nothing is broadcast per place across nodes.
 */
export function handleQueueSockets(io: Server, deps: Pick<ApiDeps, 'waitingRoom' | 'pool'> & { auth: AuthSettings }): void {
  io.on('connection', (socket) => {
    const watching = new Map<string, () => void>();
    const caller = callerOfSocket(socket, deps.auth).catch(() => undefined);
    socket.on(QueueEvents.subscribe, async (raw: unknown) => {
      const parsed = SubscribeSchema.safeParse(raw);
      if (!parsed.success) return refuse(socket, ErrorCode.ValidationFailed, `${QueueEvents.subscribe} needs {eventId: uuid, queueId: uuid}`);
      const { eventId, queueId } = parsed.data;
      if (watching.has(queueId)) return;
      if (watching.size >= MAX_PLACES_PER_SOCKET) {
        return refuse(socket, ErrorCode.SubscriptionLimit, `A connection may watch at most ${MAX_PLACES_PER_SOCKET} queue places`);
      }
      const who = await caller;
      if (!who) return refuse(socket, ErrorCode.Unauthenticated, 'The bearer token sent in the handshake is invalid or expired');
      try {
        await loadQueuePlaceFor(deps, who, eventId, queueId);
      } catch (err) {
        if (err instanceof AppError) return refuse(socket, err.code, err.message);
        return refuse(socket, ErrorCode.ServiceUnavailable, `Could not read the queue place: ${(err as Error).message}`);
      }
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
