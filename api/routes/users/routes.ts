import Router from '@koa/router';
import { z } from 'zod';
import { listBookingsOfUser } from '../../../db/queries/bookings';
import type { ApiDeps } from '../../deps';
import { parseOrThrow } from '../../middlewares/validate';
import { callerOf, principalOrThrow } from '../../policies/caller';
import { presentBooking } from '../../presenters/booking';

const PageSchema = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export function userRoutes(deps: ApiDeps): Router {
  const router = new Router({ prefix: '/users' });

  // A buyer's booking history, newest first. "me" is the bearer token's user, with or without AUTH_REQUIRED.
  router.get('/me/bookings', async (ctx) => {
    const principal = principalOrThrow(callerOf(ctx), 'Send a bearer token to see your bookings (npm run token)');
    const { page, pageSize } = parseOrThrow(PageSchema, ctx.query, 'query');
    const { bookings, total } = await listBookingsOfUser(deps.pool, principal.userId, page, pageSize);
    ctx.body = { bookings: bookings.map(presentBooking), page, pageSize, total };
  });

  return router;
}
