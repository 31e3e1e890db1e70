import Router from '@koa/router';
import { findBooking } from '../../../db/queries/bookings';
import { listTicketsOfBooking } from '../../../db/queries/tickets';
import { authSettingsOf, mayAccessBooking } from '../../auth/authenticate';
import type { ApiDeps } from '../../deps';
import { bookingNotFound } from '../../errors';
import { presentTicket } from '../../presenters/ticket';
import { BookingIdSchema } from '../bookings/schema';

export function ticketRoutes(deps: ApiDeps): Router {
  const router = new Router({ prefix: '/bookings' });
  const auth = authSettingsOf(deps.env);

  // The booking's tickets, with the same access rule as the booking itself (others' answer 404).
  // Tickets exist once the booking is confirmed: before that (or if it never was) the list is empty;
  // a cancelled booking's tickets are listed as VOIDED.
  router.get('/:id/tickets', async (ctx) => {
    const id = BookingIdSchema.safeParse(ctx.params.id);
    if (!id.success) throw bookingNotFound(ctx.params.id);
    const booking = await findBooking(deps.pool, id.data);
    if (!booking || !mayAccessBooking(ctx, auth, booking.userId)) throw bookingNotFound(id.data);
    const tickets = await listTicketsOfBooking(deps.pool, booking.id);
    ctx.body = {
      bookingId: booking.id,
      bookingStatus: booking.status,
      tickets: await Promise.all(tickets.map((ticket) => presentTicket(deps.env.ticketKeys, ticket))),
    };
  });

  return router;
}
