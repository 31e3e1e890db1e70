import { countSeatsForAdmission, findEventTerms } from '../db/queries/events';
import type { Pool } from '../db/pool';
import type { AdmissionTickRequest, AdmissionTickResult } from '../domain/admission';
import type { QueueStore } from '../queues/queueStore';

export interface AdmissionActivityDeps {
  pool: Pool;
  store: QueueStore;
  /** Tells every API node's listeners that the event's queue moved (QueueFeed.announce). */
  announce(eventId: string): void;
}

/**
 * The admission workflow's one activity, run by the API nodes (which hold the queues). Idempotent
 * under retry: lapsing is a state change that happens once, sold-out too, and the store answers a
 * retried tick's admissions from its record instead of admitting more.
 */
export function createAdmissionActivities(deps: AdmissionActivityDeps) {
  return {
    async admitTick(request: AdmissionTickRequest): Promise<AdmissionTickResult> {
      const { eventId } = request;
      const now = Date.now();
      const terms = await findEventTerms(deps.pool, eventId);
      const room = terms?.waitingRoom ?? null;
      const onSaleAt = terms?.onSaleAt ? Date.parse(terms.onSaleAt) : null;
      const closed = terms?.startsAt ? Date.parse(terms.startsAt) <= now : false;
      const expired = (await deps.store.expireLapsed(eventId, now)).length;
      const seats = await countSeatsForAdmission(deps.pool, eventId);
      let { waiting, active } = await deps.store.counts(eventId);
      const result: AdmissionTickResult = {
        room, onSaleAt, closed, admitted: [], expired, available: seats.available, held: seats.held, waiting, active, soldOut: false,
      };
      if (!room || closed || (onSaleAt !== null && onSaleAt > now)) {
        if (expired > 0) deps.announce(eventId);
        return result;
      }
      if (seats.available === 0 && seats.held === 0) {
        await deps.store.markSoldOut(eventId);
        deps.announce(eventId);
        return { ...result, soldOut: true, waiting: 0 };
      }
      // Never more buyers in than the seats left can serve: each admitted buyer not yet done may take one.
      const roomLeft = Math.min(seats.available - active, room.maxActive === null ? Infinity : room.maxActive - active);
      const max = Math.max(0, Math.min(request.max, roomLeft));
      // On a whole second, as the token's `exp` is: the place and its token lapse at the same moment.
      const until = Math.floor(now / 1000) * 1000 + room.admissionSeconds * 1000;
      const admitted = max > 0 ? await deps.store.admit(eventId, request.tickId, max, until) : [];
      waiting -= admitted.length;
      active += admitted.length;
      // Positions moved, or (a tick with no credit yet: the first after the opening) appear at all.
      if (admitted.length > 0 || expired > 0 || request.max === 0) deps.announce(eventId);
      return { ...result, admitted, waiting, active };
    },
  };
}

export type AdmissionActivities = ReturnType<typeof createAdmissionActivities>;
