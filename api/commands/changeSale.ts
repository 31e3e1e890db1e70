import { updateEventSale } from '../../db/queries/events';
import type { EventRecord, EventSaleChange } from '../../domain/event';
import type { ApiDeps } from '../deps';
import { eventNotFound } from '../errors';
import { ensureAdmission } from './ensureAdmission';

/** `PATCH /events/:id`: changes when the sale opens and the waiting room, and tells its admission workflow. */
export async function changeSale(
  deps: Pick<ApiDeps, 'pool' | 'temporal' | 'env' | 'eventTerms'>,
  eventId: string,
  change: EventSaleChange,
): Promise<EventRecord> {
  const event = await updateEventSale(deps.pool, eventId, change);
  if (!event) throw eventNotFound(eventId);
  // Other nodes hear of it from the database (NOTIFY); this one answers its caller's next read at once.
  deps.eventTerms.forget(eventId);
  await ensureAdmission(deps, event);
  return event;
}
