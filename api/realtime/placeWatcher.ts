import type { QueuePlaceView } from '../../domain/waitingRoom';
import type { ApiDeps } from '../deps';
import { presentQueuePlace } from '../presenters/queuePlace';

/**
 * Calls `send` with the place now, then each time the event's queue moves and the place looks
 * different (position, status, token). Answers a function that stops watching.
 */
export function placeWatcher(
  deps: Pick<ApiDeps, 'waitingRoom' | 'pool'>,
  eventId: string,
  queueId: string,
  send: (place: QueuePlaceView) => void,
): () => void {
  const room = deps.waitingRoom;
  let last = '';
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const refresh = () => {
    // One read at a time, in order: a slow read must not overwrite a newer one.
    running = running.then(async () => {
      if (stopped) return;
      try {
        const [event, stored] = await Promise.all([room.termsOf(eventId), room.store.read(eventId, queueId)]);
        if (!event || !stored || stopped) return;
        const place = await presentQueuePlace(room, event, stored);
        const shown = JSON.stringify(place);
        if (shown === last) return;
        last = shown;
        send(place);
      } catch (err) {
        console.error(`[realtime] queue place ${queueId}: ${(err as Error).message}`);
      }
    });
  };
  const unsubscribe = room.feed.subscribe(eventId, refresh);
  refresh();
  return () => {
    stopped = true;
    unsubscribe();
  };
}
