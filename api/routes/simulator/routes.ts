import Router from '@koa/router';
import type { Context } from 'koa';
import { simulatePayment } from '../../commands/simulatePayment';
import type { ApiDeps } from '../../deps';
import { jsonBody } from '../../middlewares/jsonBody';
import { parseOrThrow } from '../../middlewares/validate';
import { loadBookingFor } from '../../policies/bookings';
import { callerOf } from '../../policies/caller';
import { SimulatePaymentSchema } from './schema';

/**
 * This server's own address, from the socket the request came in on. Not from the Host header: the
 * caller chooses that, and the simulator would then sign and send payments wherever it pointed.
 */
function ownOrigin(ctx: Context): string {
  const { localAddress, localPort } = ctx.req.socket;
  if (!localAddress || !localPort) return ctx.request.origin;
  const host = localAddress.startsWith('::ffff:') ? localAddress.slice('::ffff:'.length) : localAddress;
  return `http://${host.includes(':') ? `[${host}]` : host}:${localPort}`;
}

/** The payment simulator (PAYMENT_SIMULATOR): signed test webhooks for the seat-map page and demos. */
export function simulatorRoutes(deps: ApiDeps): Router {
  const router = new Router({ prefix: '/simulator' });
  const body = jsonBody(deps.env.bodyLimitBytes);

  router.post('/payments', body, async (ctx) => {
    const input = parseOrThrow(SimulatePaymentSchema, ctx.state.body);
    const booking = await loadBookingFor(deps, callerOf(ctx), input.bookingId);
    ctx.body = await simulatePayment(deps, booking, input.outcome, `${ownOrigin(ctx)}/webhooks/payments`);
    ctx.status = 202;
  });

  return router;
}
