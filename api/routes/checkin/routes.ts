import Router from '@koa/router';
import { checkInTicket } from '../../commands/checkInTicket';
import type { ApiDeps } from '../../deps';
import { jsonBody } from '../../middlewares/jsonBody';
import { rateLimit } from '../../middlewares/rateLimit';
import { parseOrThrow } from '../../middlewares/validate';
import { authorized } from '../../policies/authorize';
import { CheckinSchema } from './schema';

export function checkinRoutes(deps: ApiDeps): Router {
  const router = new Router({ prefix: '/checkin' });

  // The gate: staff scan a ticket's code; it admits once.
  router.post('/', authorized('ticket:checkIn'), jsonBody(deps.env.bodyLimitBytes), rateLimit(deps, 'checkin'), async (ctx) => {
    const scan = parseOrThrow(CheckinSchema, ctx.state.body);
    ctx.body = await checkInTicket(deps, scan);
  });

  return router;
}
