import { createHash } from 'node:crypto';
import type { Context } from 'koa';

/** Browsers revalidate every time (a 304 costs a few bytes); a CDN may answer from its copy for a second. */
export const EVENT_CACHE_CONTROL = 'public, max-age=0, s-maxage=1';

const opaque = (tag: string) => tag.trim().replace(/^W\//, '');

/** Whether an If-None-Match header names `etag` (weak comparison, RFC 9110 13.1.2). */
export function etagMatches(ifNoneMatch: string, etag: string): boolean {
  if (ifNoneMatch.trim() === '*') return true;
  const wanted = opaque(etag);
  return ifNoneMatch.split(',').some((tag) => opaque(tag) === wanted);
}

/**
 * Whether the request's If-None-Match names `etag`. Decided here rather than by Koa's `ctx.fresh`,
 * which ignores If-None-Match when the request says `Cache-Control: no-cache`: a rule for caches,
 * and fetch() adds it to every conditional request.
 */
export function notModified(ctx: Context, etag: string): boolean {
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return false;
  const header = ctx.get('If-None-Match');
  return header !== '' && etagMatches(header, etag);
}

/**
 * Answers a JSON body with a weak ETag made from its content, so any change to what the body says
 * (a seat taken changes availableSeats) is a new ETag; a matching If-None-Match gets 304, no body.
 */
export function sendConditionalJson(ctx: Context, body: unknown, cacheControl = EVENT_CACHE_CONTROL): void {
  const json = JSON.stringify(body);
  const etag = `W/"${createHash('sha1').update(json).digest('base64url').slice(0, 20)}"`;
  ctx.set({ 'Cache-Control': cacheControl, ETag: etag });
  if (notModified(ctx, etag)) {
    ctx.status = 304;
    return;
  }
  ctx.status = 200;
  ctx.type = 'application/json; charset=utf-8';
  ctx.body = json;
}
