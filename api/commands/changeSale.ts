import { updateEventSale } from '../../db/queries/events';
import type { EventRecord, EventSaleChange } from '../../domain/event';
import type { ApiDeps } from '../deps';
import { eventNotFound } from '../errors';

/** `PATCH /events/:id`: changes when the sale opens and the waiting room. */
export async function changeSale(deps: Pick<ApiDeps, 'pool'>, eventId: string, change: EventSaleChange): Promise<EventRecord> {
  const event = await updateEventSale(deps.pool, eventId, change);
  if (!event) throw eventNotFound(eventId);
  return event;
}
