import fs from 'node:fs/promises';
import path from 'node:path';
import Router from '@koa/router';
import type { ApiDeps } from '../../deps';
import { pageScriptBundler } from './bundle';

const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-cache',
};

/** The seat-map page (web/): its HTML and CSS as they are, its script bundled from web/app.ts. */
export function webRoutes(deps: ApiDeps): Router {
  const router = new Router();
  const webDir = path.join(deps.env.projectRoot, 'web');
  const pageScript = pageScriptBundler(path.join(webDir, 'app.ts'));
  const files = new Map<string, Promise<string>>();
  const readOnce = (name: string) => {
    let text = files.get(name);
    if (!text) {
      text = fs.readFile(path.join(webDir, name), 'utf8');
      text.catch(() => files.delete(name));
      files.set(name, text);
    }
    return text;
  };

  router.get('/', async (ctx) => {
    ctx.set(SECURITY_HEADERS);
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = await readOnce('index.html');
  });

  router.get('/styles.css', async (ctx) => {
    ctx.set(SECURITY_HEADERS);
    ctx.type = 'text/css; charset=utf-8';
    ctx.body = await readOnce('styles.css');
  });

  router.get('/app.js', async (ctx) => {
    ctx.set(SECURITY_HEADERS);
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.body = await pageScript();
  });

  return router;
}
