import Router from '@koa/router';
import type { ApiDeps } from '../../deps';
import { callerOf } from '../../policies/caller';
import { loadTicketsFor } from '../../policies/tickets';
import { presentTicket } from '../../presenters/ticket';

export function ticketRoutes(deps: ApiDeps): Router {
  const router = new Router({ prefix: '/bookings' });

  // The booking's tickets, with the same access rule as the booking itself (others' answer 404).
  // Tickets exist once the booking is confirmed: before that (or if it never was) the list is empty;
  // a cancelled booking's tickets are listed as VOIDED.
  router.get('/:id/tickets', async (ctx) => {
    const { booking, tickets } = await loadTicketsFor(deps, callerOf(ctx), ctx.params.id);
    ctx.body = {
      bookingId: booking.id,
      bookingStatus: booking.status,
      tickets: await Promise.all(tickets.map((ticket) => presentTicket(deps.env.ticketKeys, ticket))),
    };
  });

  return router;
}
