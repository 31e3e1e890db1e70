import cors from '@koa/cors';
import type { Context, Middleware } from 'koa';

/** Headers a browser page on an allowed origin may send: the token, JSON bodies, retries, SSE resumption. */
const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Idempotency-Key', 'Last-Event-ID'];

/**
 * CORS for the origins in CORS_ORIGINS (`@koa/cors`). None listed (the default): no middleware and
 * no CORS headers, so browsers allow the same origin only. A request from an origin not listed gets
 * no grant either. Bearer tokens travel in a header, not cookies, so no credentials are allowed.
 */
export function corsAllowlist(origins: string[]): Middleware | undefined {
  if (origins.length === 0) return undefined;
  const anyOrigin = origins.includes('*');
  const allowed = new Set(origins);
  return cors({
    origin: (ctx: Context) => {
      if (anyOrigin) return '*';
      const origin = ctx.get('Origin');
      return allowed.has(origin) ? origin : '';
    },
    allowMethods: ['GET', 'HEAD', 'POST'],
    allowHeaders: ALLOWED_HEADERS,
    maxAge: 600,
    credentials: false,
  });
}
