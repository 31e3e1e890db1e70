import Router from '@koa/router';
import { joinQueue } from '../../commands/joinQueue';
import type { ApiDeps } from '../../deps';
import { eventNotFound } from '../../errors';
import { jsonBody } from '../../middlewares/jsonBody';
import { rateLimit } from '../../middlewares/rateLimit';
import { parseOrThrow } from '../../middlewares/validate';
import { actingUserIdFor, callerOf } from '../../policies/caller';
import { loadQueuePlaceFor } from '../../policies/queuePlaces';
import { presentQueuePlace } from '../../presenters/queuePlace';
import { EventIdSchema } from '../events/schema';
import { fairnessOf } from './fairness';
import { JoinQueueSchema } from './schema';
import { streamQueuePlace } from './stream';

/** The waiting room (docs/api.md#waiting-room): join, read a place, its live stream, the fair draw. */
export function queueRoutes(deps: ApiDeps): Router {
  const router = new Router({ prefix: '/events' });
  const body = jsonBody(deps.env.bodyLimitBytes);

  const loadEvent = async (rawId: string) => {
    const id = EventIdSchema.safeParse(rawId);
    const event = id.success ? await deps.waitingRoom.termsOf(id.data) : undefined;
    if (!event) throw eventNotFound(rawId);
    return event;
  };

  router.post('/:id/queue', body, rateLimit(deps, 'queueJoin'), async (ctx) => {
    const event = await loadEvent(ctx.params.id);
    const { userId: requested } = parseOrThrow(JoinQueueSchema, ctx.state.body ?? {});
    const userId = actingUserIdFor(callerOf(ctx), requested);
    const { created, place } = await joinQueue(deps, event, userId);
    ctx.status = created ? 201 : 200;
    ctx.body = place;
  });

  // Before /:queueId, which would take "fairness" for a queue id.
  router.get('/:id/queue/fairness', async (ctx) => {
    ctx.body = await fairnessOf(deps.waitingRoom, await loadEvent(ctx.params.id));
  });

  router.get('/:id/queue/:queueId', async (ctx) => {
    const event = await loadEvent(ctx.params.id);
    const place = await loadQueuePlaceFor(deps, callerOf(ctx), event.id, ctx.params.queueId);
    ctx.body = await presentQueuePlace(deps.waitingRoom, event, place);
  });

  // The place, pushed as it changes, for clients that cannot use Socket.IO.
  router.get('/:id/queue/:queueId/stream', async (ctx) => {
    const event = await loadEvent(ctx.params.id);
    const place = await loadQueuePlaceFor(deps, callerOf(ctx), event.id, ctx.params.queueId);
    await streamQueuePlace(ctx, deps, event.id, place.queueId);
  });

  return router;
}
