import Router from '@koa/router';
import { listBlockedSeats, replaceBlockedSeats } from '../../../db/queries/blockedSeats';
import { countAreaPlaces, findLayoutVersion, readLayout } from '../../../db/queries/layouts';
import type { LayoutView } from '../../../domain/layout';
import type { ApiDeps } from '../../deps';
import { eventNotFound, invalidSeats, seatUnavailable } from '../../errors';
import { jsonBody } from '../../middlewares/jsonBody';
import { parseOrThrow } from '../../middlewares/validate';
import { authorized } from '../../policies/authorize';
import { BlockedSeatsSchema } from './layoutSchema';
import { EventIdSchema } from './schema';

// Layouts are static: a few recent ones are kept built, keyed by event and version.
const LAYOUT_CACHE_SIZE = 8;

/** The venue side of an event: its layout (cacheable), places left in GA areas, seats not for sale. */
export function layoutRoutes(deps: ApiDeps): Router {
  const router = new Router({ prefix: '/events' });
  const body = jsonBody(deps.env.bodyLimitBytes);
  const built = new Map<string, Promise<string | undefined>>();

  const eventIdOf = (raw: string): string => {
    const id = EventIdSchema.safeParse(raw);
    if (!id.success) throw eventNotFound(raw);
    return id.data;
  };

  const layoutJson = (eventId: string, version: number): Promise<string | undefined> => {
    const key = `${eventId}/${version}`;
    let json = built.get(key);
    if (!json) {
      json = readLayout(deps.pool, eventId).then((view?: LayoutView) => (view ? JSON.stringify(view) : undefined));
      json.catch(() => built.delete(key));
      built.set(key, json);
      if (built.size > LAYOUT_CACHE_SIZE) built.delete(built.keys().next().value ?? key);
    }
    return json;
  };

  router.get('/:id/layout', async (ctx) => {
    const eventId = eventIdOf(ctx.params.id);
    const version = await findLayoutVersion(deps.pool, eventId);
    if (version === undefined) throw eventNotFound(ctx.params.id);
    const etag = `"layout-${eventId}-${version}"`;
    ctx.set('ETag', etag);
    // Revalidated each time (cheap: one row), so a changed layout is never served stale.
    ctx.set('Cache-Control', 'no-cache');
    if (ctx.get('If-None-Match') === etag) {
      ctx.status = 304;
      return;
    }
    const json = await layoutJson(eventId, version);
    if (!json) throw eventNotFound(ctx.params.id);
    ctx.type = 'application/json';
    ctx.body = json;
  });

  router.get('/:id/areas', async (ctx) => {
    const eventId = eventIdOf(ctx.params.id);
    if ((await findLayoutVersion(deps.pool, eventId)) === undefined) throw eventNotFound(ctx.params.id);
    ctx.body = { eventId, areas: await countAreaPlaces(deps.pool, eventId) };
  });

  router.get('/:id/blocked-seats', async (ctx) => {
    const eventId = eventIdOf(ctx.params.id);
    if ((await findLayoutVersion(deps.pool, eventId)) === undefined) throw eventNotFound(ctx.params.id);
    ctx.body = { eventId, seatNumbers: await listBlockedSeats(deps.pool, eventId) };
  });

  // Staff take seats off sale (or put them back): the body is the whole set not for sale.
  router.put('/:id/blocked-seats', authorized('event:blockSeats'), body, async (ctx) => {
    const eventId = eventIdOf(ctx.params.id);
    const { seatNumbers } = parseOrThrow(BlockedSeatsSchema, ctx.state.body);
    if ((await findLayoutVersion(deps.pool, eventId)) === undefined) throw eventNotFound(ctx.params.id);
    const outcome = await replaceBlockedSeats(deps.pool, eventId, seatNumbers);
    if (outcome.kind === 'unknown') {
      throw invalidSeats(`Not seats of this event: ${outcome.seats.join(', ')}`, { seats: outcome.seats });
    }
    if (outcome.kind === 'taken') throw seatUnavailable(outcome.seats);
    ctx.body = { eventId, seatNumbers: outcome.seatNumbers };
  });

  return router;
}
