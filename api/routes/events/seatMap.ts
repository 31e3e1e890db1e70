import type { Context } from 'koa';
import type { SeatMapCache } from '../../realtime/seatMapCache';
import type { SeatMapEncoding } from '../../realtime/seatMapView';
import { eventNotFound } from '../../errors';
import { notModified } from '../../middlewares/conditional';
import { EventIdSchema } from './schema';

/**
 * Shared caches (a CDN) may serve a map for a second and then revalidate with If-None-Match while
 * still serving it for a few more; the live stream (Socket.IO, SSE) carries the changes after it.
 */
export const SEAT_MAP_CACHE_CONTROL = 'public, max-age=1, s-maxage=1, stale-while-revalidate=5';

/** GET /events/:id/seat-map: the compact map (domain/seatBitmap.ts) from this node's memory, no query. */
export async function sendSeatMap(ctx: Context, seatMaps: SeatMapCache, rawId: string): Promise<void> {
  const id = EventIdSchema.safeParse(rawId);
  const view = id.success ? await seatMaps.get(id.data) : undefined;
  if (!view) throw eventNotFound(rawId);
  ctx.status = 200;
  ctx.set({
    'Seat-Map-Version': String(view.version),
    'Seat-Map-Seats': String(view.totalSeats),
    'Cache-Control': SEAT_MAP_CACHE_CONTROL,
    Vary: 'Accept-Encoding',
    ETag: view.etag,
  });
  if (notModified(ctx, view.etag)) {
    ctx.status = 304;
    return;
  }
  const encoding = (ctx.acceptsEncodings('br', 'gzip', 'identity') || 'identity') as SeatMapEncoding;
  if (encoding !== 'identity') ctx.set('Content-Encoding', encoding);
  ctx.type = 'application/octet-stream';
  ctx.body = view.body(encoding);
}
