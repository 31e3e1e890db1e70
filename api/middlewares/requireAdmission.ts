import type { Context, Next } from 'koa';
import { z } from 'zod';
import type { ApiDeps } from '../deps';
import { actingUserIdFor, callerOf } from '../policies/caller';
import { admissionRequired } from '../waitingRoom/admissionTokens';

const EventIdSchema = z.uuid();

/** Where a booking route names its event: `POST /bookings` in the body, `POST /events/:id/book` in the path. */
export type EventIdFrom = 'body' | 'path';

/**
 * With the event's waiting room on, a booking needs the `Admission-Token` its buyer was given when
 * let in: missing, 403 ADMISSION_REQUIRED; lapsed, 403 ADMISSION_EXPIRED; another user's, another
 * event's, or not ours, 403 ADMISSION_INVALID. With the room off nothing changes. A request too
 * malformed to name an event or a user is left to the route's own validation. Once a booking
 * succeeds the buyer stops counting as admitted-and-active: their seats count instead.
 */
export function requireAdmission(deps: Pick<ApiDeps, 'waitingRoom'>, from: EventIdFrom) {
  return async function checkAdmission(ctx: Context, next: Next): Promise<void> {
    const body = (ctx.state.body ?? {}) as { eventId?: unknown; userId?: unknown };
    const eventId = EventIdSchema.safeParse(from === 'path' ? ctx.params.id : body.eventId);
    const terms = eventId.success ? await deps.waitingRoom.termsOf(eventId.data) : undefined;
    if (!terms?.waitingRoom) return next();
    let userId: string;
    try {
      userId = actingUserIdFor(callerOf(ctx), typeof body.userId === 'string' ? body.userId.trim() : undefined);
    } catch {
      return next();
    }
    const token = ctx.get('Admission-Token');
    if (!token) throw admissionRequired();
    const admission = await deps.waitingRoom.tokens.verify(token, { eventId: terms.id, userId });
    await next();
    if (ctx.status >= 200 && ctx.status < 300) {
      await deps.waitingRoom.store.markUsed(terms.id, admission.queueId).catch((err: Error) => {
        console.error(`[api] waiting room: could not mark ${admission.queueId} as used: ${err.message}`);
      });
    }
  };
}
