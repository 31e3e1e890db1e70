import Koa from 'koa';
import type Router from '@koa/router';
import { authenticate } from './auth/authenticate';
import { createTokenVerifier } from './auth/tokenVerifier';
import type { ApiDeps } from './deps';
import { methodNotAllowed } from './errors';
import { corsAllowlist } from './middlewares/corsAllowlist';
import { errorHandler } from './middlewares/errorHandler';
import { securityHeaders } from './middlewares/securityHeaders';
import { bookingRoutes } from './routes/bookings/routes';
import { checkinRoutes } from './routes/checkin/routes';
import { eventRoutes } from './routes/events/routes';
import { layoutRoutes } from './routes/events/layoutRoutes';
import { healthRoutes } from './routes/health';
import { paymentRoutes } from './routes/payments/routes';
import { queueRoutes } from './routes/queue/routes';
import { simulatorRoutes } from './routes/simulator/routes';
import { ticketRoutes } from './routes/tickets/routes';
import { userRoutes } from './routes/users/routes';
import { webhookRoutes } from './routes/webhooks/routes';
import { webRoutes } from './routes/web/routes';

export function createApp(deps: ApiDeps): Koa {
  const app = new Koa();
  app.use(errorHandler);
  app.use(securityHeaders());
  // Before authentication: a browser's preflight carries no token.
  const cors = corsAllowlist(deps.env.corsOrigins);
  if (cors) app.use(cors);
  app.use(authenticate({ required: deps.env.authRequired, verify: createTokenVerifier(deps.env) }));
  const routers: Router[] = [
    webRoutes(deps),
    healthRoutes(deps),
    eventRoutes(deps),
    queueRoutes(deps),
    layoutRoutes(deps),
    bookingRoutes(deps),
    ticketRoutes(deps),
    checkinRoutes(deps),
    userRoutes(deps),
    paymentRoutes(deps),
    webhookRoutes(deps),
    ...(deps.env.paymentSimulator ? [simulatorRoutes(deps)] : []),
  ];
  for (const router of routers) {
    app.use(router.routes());
    // A method no route knows (PROPFIND, ...) is a wrong method like any other: 405, not the router's 501.
    app.use(router.allowedMethods({ throw: true, notImplemented: methodNotAllowed }));
  }
  return app;
}
