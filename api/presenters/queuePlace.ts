import type { EventTerms } from '../../domain/event';
import { etaSeconds, QueueStatus, type QueuePlaceView, type StoredPlace } from '../../domain/waitingRoom';
import type { WaitingRoom } from '../waitingRoom/waitingRoom';

/** Whether the event's sale has opened at `now` (no onSaleAt: on sale from the start). */
export function saleOpen(event: Pick<EventTerms, 'onSaleAt'>, now: number): boolean {
  return event.onSaleAt === null || now >= Date.parse(event.onSaleAt);
}

/**
 * A queue place as the API shows it: its position only once the sale is open, and while admitted,
 * its admission token. An admission past its deadline shows EXPIRED at once, before the next
 * admission tick records it.
 */
export async function presentQueuePlace(
  room: Pick<WaitingRoom, 'tokens'>,
  event: Pick<EventTerms, 'onSaleAt' | 'waitingRoom'>,
  place: StoredPlace,
  now = Date.now(),
): Promise<QueuePlaceView> {
  const lapsed = place.status === QueueStatus.Admitted && (place.admittedUntil ?? 0) <= now;
  const status = lapsed ? QueueStatus.Expired : place.status;
  const position = status === QueueStatus.Waiting && saleOpen(event, now) ? place.rank : null;
  const admitted = status === QueueStatus.Admitted && place.admittedUntil !== null;
  return {
    queueId: place.queueId,
    eventId: place.eventId,
    userId: place.userId,
    status,
    position,
    etaSeconds: event.waitingRoom ? etaSeconds(position, event.waitingRoom.admitPerMinute) : null,
    admissionToken: admitted ? await room.tokens.sign(place, place.admittedUntil as number) : null,
    admittedUntil: admitted ? new Date(place.admittedUntil as number).toISOString() : null,
  };
}
