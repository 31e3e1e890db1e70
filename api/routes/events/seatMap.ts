import type { Context } from 'koa';
import type { SeatMapCache } from '../../realtime/seatMapCache';
import { eventNotFound } from '../../errors';
import { notModified } from '../../middlewares/conditional';
import { EventIdSchema } from './schema';
import { seatMapEncodingFor, seatMapHeaders } from './seatMapAnswer';

/**
 * GET /events/:id/seat-map: the compact map (domain/seatBitmap.ts) from this node's memory, no query.
 * Most reads are answered before Koa (api/hotPath/seatMapHotPath.ts); this route answers the rest
 * (first read of an event, a bearer token, an Origin) with the same headers and bytes.
 */
export async function sendSeatMap(ctx: Context, seatMaps: SeatMapCache, rawId: string): Promise<void> {
  const id = EventIdSchema.safeParse(rawId);
  const view = id.success ? await seatMaps.get(id.data) : undefined;
  if (!view) throw eventNotFound(rawId);
  ctx.status = 200;
  ctx.set(seatMapHeaders(view));
  if (notModified(ctx, view.etag)) {
    ctx.status = 304;
    return;
  }
  const encoding = seatMapEncodingFor(ctx.get('Accept-Encoding') || undefined);
  if (encoding !== 'identity') ctx.set('Content-Encoding', encoding);
  ctx.type = 'application/octet-stream';
  ctx.body = view.body(encoding);
}
