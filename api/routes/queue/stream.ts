import type { Context } from 'koa';
import { QueueEvents } from '../../../domain/waitingRoomMessages';
import type { ApiDeps } from '../../deps';
import { placeWatcher } from '../../realtime/placeWatcher';
import { openEventStream, type EventStream } from '../../realtime/serverSentEvents';

/** Server-sent events for one queue place: the place now, then again each time it changes. */
export async function streamQueuePlace(ctx: Context, deps: Pick<ApiDeps, 'waitingRoom' | 'pool'>, eventId: string, queueId: string): Promise<void> {
  let id = 0;
  let stream: EventStream | undefined;
  const held: unknown[] = [];
  const stop = placeWatcher(deps, eventId, queueId, (place) => {
    if (stream) stream.send(QueueEvents.place, ++id, place);
    else held.push(place);
  });
  stream = openEventStream(ctx, stop);
  for (const place of held) stream.send(QueueEvents.place, ++id, place);
}
