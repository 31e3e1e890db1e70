import Router from '@koa/router';
import type { Context } from 'koa';
import { actingUserId, authSettingsOf, mayAccessBooking } from '../../auth/authenticate';
import { findBooking } from '../../../db/queries/bookings';
import { createCheckout } from '../../commands/createCheckout';
import { extendBookingHold } from '../../commands/extendHold';
import { cancelBooking, confirmBookingWithToken } from '../../commands/settleBooking';
import { startBooking } from '../../commands/startBooking';
import type { ApiDeps } from '../../deps';
import { bookingNotFound } from '../../errors';
import { jsonBody } from '../../middlewares/jsonBody';
import { rateLimit } from '../../middlewares/rateLimit';
import { parseOrThrow } from '../../middlewares/validate';
import { presentBooking } from '../../presenters/booking';
import { BookingIdSchema, ConfirmBookingSchema, CreateBookingSchema, ExtendHoldSchema, IdempotencyKeySchema } from './schema';

export function bookingRoutes(deps: ApiDeps): Router {
  const router = new Router({ prefix: '/bookings' });
  const body = jsonBody(deps.env.bodyLimitBytes);

  const bookingIdOf = (raw: string) => {
    const id = BookingIdSchema.safeParse(raw);
    if (!id.success) throw bookingNotFound(raw);
    return id.data;
  };

  // Buyers see and change only their own bookings; anyone else's answers 404, as if it did not exist.
  const auth = authSettingsOf(deps.env);
  const mayAccess = (ctx: Context) => (ownerId: string) => mayAccessBooking(ctx, auth, ownerId);

  router.post('/', body, rateLimit(deps, 'checkout'), async (ctx) => {
    const input = parseOrThrow(CreateBookingSchema, ctx.state.body);
    const userId = actingUserId(ctx, auth, input.userId);
    const rawKey = ctx.get('Idempotency-Key');
    const idempotencyKey = rawKey ? parseOrThrow(IdempotencyKeySchema, rawKey, 'Idempotency-Key header') : null;
    ctx.status = 201;
    ctx.body = await startBooking(deps, { ...input, userId, idempotencyKey, confirmOnHold: false });
  });

  router.get('/:id', async (ctx) => {
    const id = bookingIdOf(ctx.params.id);
    const booking = await findBooking(deps.pool, id);
    if (!booking || !mayAccess(ctx)(booking.userId)) throw bookingNotFound(id);
    ctx.body = presentBooking(booking);
  });

  router.post('/:id/confirm', body, async (ctx) => {
    const id = bookingIdOf(ctx.params.id);
    const { paymentToken } = parseOrThrow(ConfirmBookingSchema, ctx.state.body);
    ctx.body = await confirmBookingWithToken(deps, id, mayAccess(ctx), paymentToken);
  });

  // A hold is released at once; a confirmed booking is cancelled by the saga (202 while its refund is retried).
  router.post('/:id/cancel', body, async (ctx) => {
    const answer = await cancelBooking(deps, bookingIdOf(ctx.params.id), mayAccess(ctx));
    ctx.status = answer.status;
    ctx.body = answer.booking;
  });

  router.post('/:id/extend', body, async (ctx) => {
    const id = bookingIdOf(ctx.params.id);
    const { seconds } = parseOrThrow(ExtendHoldSchema, ctx.state.body);
    ctx.body = await extendBookingHold(deps, id, mayAccess(ctx), seconds);
  });

  router.post('/:id/payment-intent', body, async (ctx) => {
    ctx.body = await createCheckout(deps, bookingIdOf(ctx.params.id), mayAccess(ctx));
  });

  return router;
}
