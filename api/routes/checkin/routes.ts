import Router from '@koa/router';
import { authSettingsOf, requireRole } from '../../auth/authenticate';
import { checkInTicket } from '../../commands/checkInTicket';
import type { ApiDeps } from '../../deps';
import { jsonBody } from '../../middlewares/jsonBody';
import { rateLimit } from '../../middlewares/rateLimit';
import { parseOrThrow } from '../../middlewares/validate';
import { CheckinSchema } from './schema';

export function checkinRoutes(deps: ApiDeps): Router {
  const router = new Router({ prefix: '/checkin' });
  const auth = authSettingsOf(deps.env);

  // The gate: staff scan a ticket's code; it admits once.
  const limit = rateLimit(deps, 'checkin');
  router.post('/', requireRole(auth, 'staff', 'admin'), jsonBody(deps.env.bodyLimitBytes), limit, async (ctx) => {
    const scan = parseOrThrow(CheckinSchema, ctx.state.body);
    ctx.body = await checkInTicket(deps, scan);
  });

  return router;
}
