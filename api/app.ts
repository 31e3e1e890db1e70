import Koa from 'koa';
import type Router from '@koa/router';
import type { ApiDeps } from './deps';
import { errorHandler } from './middlewares/errorHandler';
import { bookingRoutes } from './routes/bookings/routes';
import { eventRoutes } from './routes/events/routes';
import { healthRoutes } from './routes/health';
import { webhookRoutes } from './routes/webhooks/routes';

export function createApp(deps: ApiDeps): Koa {
  const app = new Koa();
  app.use(errorHandler);
  const routers: Router[] = [healthRoutes(deps), eventRoutes(deps), bookingRoutes(deps), webhookRoutes(deps)];
  for (const router of routers) {
    app.use(router.routes());
    app.use(router.allowedMethods({ throw: true }));
  }
  return app;
}
