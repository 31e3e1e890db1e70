import Router from '@koa/router';
import type { ApiDeps } from '../deps';
import { serviceUnavailable } from '../errors';

async function probe(check: () => Promise<unknown>): Promise<'up' | 'down'> {
  try {
    await check();
    return 'up';
  } catch {
    return 'down';
  }
}

/**
 * 503 when PostgreSQL or Temporal does not answer (the node cannot take bookings). With REDIS_URL,
 * a Redis that is away only degrades the node (rate limits per node, Socket.IO for this node's
 * clients only): 200 with `status: "degraded"` and the reason.
 */
export function healthRoutes(deps: ApiDeps): Router {
  const router = new Router();
  router.get('/health', async (ctx) => {
    const [postgres, temporal] = await Promise.all([
      probe(() => deps.pool.query('SELECT 1')),
      probe(() => deps.temporal.workflowService.getSystemInfo({})),
    ]);
    if (postgres === 'down' || temporal === 'down') {
      throw serviceUnavailable(`Not ready: postgres ${postgres}, temporal ${temporal}`);
    }
    if (!deps.redisHealth) {
      ctx.body = { ok: true, postgres, temporal };
      return;
    }
    const redis = deps.redisHealth.status();
    ctx.body =
      redis.state === 'up'
        ? { ok: true, status: 'ok', postgres, temporal, redis: 'up' }
        : { ok: true, status: 'degraded', postgres, temporal, redis: 'down', degraded: [`redis: ${redis.reason}`] };
  });
  return router;
}
