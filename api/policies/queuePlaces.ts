import { z } from 'zod';
import type { StoredPlace } from '../../domain/waitingRoom';
import type { ApiDeps } from '../deps';
import { queuePlaceNotFound } from '../errors';
import type { Caller } from './caller';
import { mayActFor } from './ownership';

const QueueIdSchema = z.uuid();

/**
 * The queue place the caller may read, or 404 QUEUE_PLACE_NOT_FOUND: for an id that is not a UUID,
 * a place that does not exist in this event's queue, and another buyer's place alike.
 */
export async function loadQueuePlaceFor(
  deps: Pick<ApiDeps, 'waitingRoom'>,
  caller: Caller,
  eventId: string,
  rawQueueId: string,
): Promise<StoredPlace> {
  const id = QueueIdSchema.safeParse(rawQueueId);
  const place = id.success ? await deps.waitingRoom.store.read(eventId, id.data) : undefined;
  if (!place || !mayActFor(caller, place.userId)) throw queuePlaceNotFound(rawQueueId);
  return place;
}
