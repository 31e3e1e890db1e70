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
    ctx.body = { ok: true, postgres, temporal };
  });
  return router;
}
