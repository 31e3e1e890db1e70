import Router from '@koa/router';
import { createCheckout } from '../../commands/createCheckout';
import { extendBookingHold } from '../../commands/extendHold';
import { cancelBooking, confirmBookingWithToken } from '../../commands/settleBooking';
import { startBooking } from '../../commands/startBooking';
import type { ApiDeps } from '../../deps';
import { jsonBody } from '../../middlewares/jsonBody';
import { rateLimit } from '../../middlewares/rateLimit';
import { requireAdmission } from '../../middlewares/requireAdmission';
import { parseOrThrow } from '../../middlewares/validate';
import { loadBookingFor } from '../../policies/bookings';
import { actingUserIdFor, callerOf } from '../../policies/caller';
import { presentBooking } from '../../presenters/booking';
import { bookingTarget, ConfirmBookingSchema, CreateBookingSchema, ExtendHoldSchema, IdempotencyKeySchema } from './schema';

export function bookingRoutes(deps: ApiDeps): Router {
  const router = new Router({ prefix: '/bookings' });
  const body = jsonBody(deps.env.bodyLimitBytes);

  router.post('/', body, rateLimit(deps, 'checkout'), requireAdmission(deps, 'body'), async (ctx) => {
    const input = parseOrThrow(CreateBookingSchema, ctx.state.body);
    const userId = actingUserIdFor(callerOf(ctx), input.userId);
    const rawKey = ctx.get('Idempotency-Key');
    const idempotencyKey = rawKey ? parseOrThrow(IdempotencyKeySchema, rawKey, 'Idempotency-Key header') : null;
    ctx.status = 201;
    ctx.body = await startBooking(deps, { ...bookingTarget(input), eventId: input.eventId, userId, idempotencyKey, confirmOnHold: false });
  });

  // Each of these acts on a booking the caller may see (api/policies); anyone else's answers 404.
  router.get('/:id', async (ctx) => {
    ctx.body = presentBooking(await loadBookingFor(deps, callerOf(ctx), ctx.params.id));
  });

  router.post('/:id/confirm', body, async (ctx) => {
    const { paymentToken } = parseOrThrow(ConfirmBookingSchema, ctx.state.body);
    const booking = await loadBookingFor(deps, callerOf(ctx), ctx.params.id);
    ctx.body = await confirmBookingWithToken(deps, booking, paymentToken);
  });

  // A hold is released at once; a confirmed booking is cancelled by the saga (202 while its refund is retried).
  router.post('/:id/cancel', body, async (ctx) => {
    const answer = await cancelBooking(deps, await loadBookingFor(deps, callerOf(ctx), ctx.params.id));
    ctx.status = answer.status;
    ctx.body = answer.booking;
  });

  router.post('/:id/extend', body, async (ctx) => {
    const { seconds } = parseOrThrow(ExtendHoldSchema, ctx.state.body);
    const booking = await loadBookingFor(deps, callerOf(ctx), ctx.params.id);
    ctx.body = await extendBookingHold(deps, booking, seconds);
  });

  router.post('/:id/payment-intent', body, async (ctx) => {
    ctx.body = await createCheckout(deps, await loadBookingFor(deps, callerOf(ctx), ctx.params.id));
  });

  return router;
}
