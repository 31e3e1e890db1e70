import { PassThrough } from 'node:stream';
import type { Context } from 'koa';
import { QueueEvents } from '../../../domain/waitingRoomMessages';
import type { ApiDeps } from '../../deps';
import { placeWatcher } from '../../realtime/placeWatcher';

const HEARTBEAT_MS = 15_000;

/** Server-sent events for one queue place: the place now, then again each time it changes. */
export async function streamQueuePlace(ctx: Context, deps: Pick<ApiDeps, 'waitingRoom' | 'pool'>, eventId: string, queueId: string): Promise<void> {
  const stream = new PassThrough();
  let id = 0;
  const stop = placeWatcher(deps, eventId, queueId, (place) => {
    stream.write(`event: ${QueueEvents.place}\nid: ${++id}\ndata: ${JSON.stringify(place)}\n\n`);
  });

  ctx.req.socket.setTimeout(0);
  ctx.req.socket.setNoDelay(true);
  ctx.set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
  ctx.status = 200;
  ctx.respond = false;
  ctx.res.flushHeaders();
  stream.pipe(ctx.res);

  const heartbeat = setInterval(() => stream.write(': keep-alive\n\n'), HEARTBEAT_MS);
  const close = () => {
    clearInterval(heartbeat);
    stop();
    stream.end();
  };
  if (ctx.req.socket.destroyed) close();
  else ctx.res.once('close', close);
}
