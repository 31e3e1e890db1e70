import type { Context, Next } from 'koa';
import helmet from 'helmet';

/**
 * Security headers on every answer, errors included, set by helmet (through this small adapter from
 * its Node-style middleware to Koa's). The API answers JSON, so its Content-Security-Policy allows
 * nothing; the seat-map page's routes set their own, for the page's script and styles.
 */
export function securityHeaders() {
  const setHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
    },
  });
  return async function setSecurityHeaders(ctx: Context, next: Next): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      setHeaders(ctx.req, ctx.res, (err?: unknown) => (err ? reject(err) : resolve()));
    });
    await next();
  };
}
