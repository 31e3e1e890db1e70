import type http from 'node:http';
import type { Context, Next } from 'koa';
import helmet from 'helmet';

/**
 * The security headers every answer carries, errors included, as helmet sets them. The API answers
 * JSON, so its Content-Security-Policy allows nothing; the seat-map page's routes set their own, for
 * the page's script and styles. With this configuration helmet's headers are the same on every
 * answer (no nonces), so they are worked out once, by letting helmet write them to a recorder.
 */
export function securityHeaderValues(): Readonly<Record<string, string>> {
  const setHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
    },
  });
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | string[]) {
      headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name];
    },
  };
  let done = false;
  setHeaders({ headers: {} } as http.IncomingMessage, recorder as unknown as http.ServerResponse, () => (done = true));
  // helmet's middleware is synchronous; were it ever not, the headers would be incomplete: fail loudly.
  if (!done) throw new Error('helmet did not set its headers synchronously');
  return Object.freeze(headers);
}

/** Koa middleware setting `securityHeaderValues()` on every answer. */
export function securityHeaders() {
  const headers = securityHeaderValues();
  return async function setSecurityHeaders(ctx: Context, next: Next): Promise<void> {
    ctx.set(headers);
    await next();
  };
}
