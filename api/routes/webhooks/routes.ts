import Router from '@koa/router';
import { receivePaymentWebhook } from '../../commands/receivePaymentWebhook';
import type { ApiDeps } from '../../deps';
import { readRawBody } from '../../middlewares/jsonBody';

export function webhookRoutes(deps: ApiDeps): Router {
  const router = new Router({ prefix: '/webhooks' });
  // The signature covers the exact bytes sent, so the body is verified before it is parsed.
  router.post('/payments', async (ctx) => {
    const raw = await readRawBody(ctx, deps.env.bodyLimitBytes * 4);
    ctx.body = await receivePaymentWebhook(deps, raw, ctx.get('Stripe-Signature') || undefined);
  });
  return router;
}
