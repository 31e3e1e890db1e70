import { randomUUID } from 'node:crypto';
import type { EventTerms } from '../../domain/event';
import type { QueuePlaceView } from '../../domain/waitingRoom';
import type { ApiDeps } from '../deps';
import { noWaitingRoom } from '../errors';
import { presentQueuePlace, saleOpen } from '../presenters/queuePlace';
import { drawScore } from '../../queues/fairDraw';

/**
 * `POST /events/:id/queue`: the user's place in the event's waiting room, new or the one they
 * already have (one per user per event, however many joins race). Before the on-sale a new place
 * goes into the pre-queue, at the rank the fair draw gives its id; after it, at the back.
 */
export async function joinQueue(
  deps: Pick<ApiDeps, 'waitingRoom'>,
  event: EventTerms,
  userId: string,
): Promise<{ created: boolean; place: QueuePlaceView }> {
  if (!event.waitingRoom) throw noWaitingRoom(event.id);
  const room = deps.waitingRoom;
  const now = Date.now();
  const queueId = randomUUID();
  const score = saleOpen(event, now) ? undefined : drawScore(await room.seedOf(event.id), queueId);
  const { place, created } = await room.store.join(event.id, { userId, queueId, now, drawScore: score });
  return { created, place: await presentQueuePlace(room, event, place, now) };
}
