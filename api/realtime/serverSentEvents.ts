import { PassThrough } from 'node:stream';
import type { Context } from 'koa';

const HEARTBEAT_MS = 15_000;

export interface EventStream {
  /** One server-sent event: its name, its id (what a reconnecting reader sends as Last-Event-ID) and JSON data. */
  send(event: string, id: number, data: unknown): void;
  /** Ends the answer: the reader's EventSource reconnects by itself, with Last-Event-ID. */
  end(): void;
}

/**
 * Answers the request with a `text/event-stream` that stays open, with a heartbeat comment every
 * 15 s (proxies close idle connections); `onClose` runs once, when the reader goes away.
 */
export function openEventStream(ctx: Context, onClose: () => void): EventStream {
  const stream = new PassThrough();
  ctx.req.socket.setTimeout(0);
  ctx.req.socket.setNoDelay(true);
  ctx.set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
  ctx.status = 200;
  // Piped here rather than left to Koa, whose pipeline reports every reader that goes away as a server error.
  ctx.respond = false;
  ctx.res.flushHeaders();
  stream.pipe(ctx.res);

  const heartbeat = setInterval(() => stream.write(': keep-alive\n\n'), HEARTBEAT_MS);
  const close = () => {
    clearInterval(heartbeat);
    onClose();
    stream.end();
  };
  // The reader may have left while the caller prepared what to send first.
  if (ctx.req.socket.destroyed) close();
  else ctx.res.once('close', close);
  return {
    send: (event, id, data) => void stream.write(`event: ${event}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`),
    end: () => void stream.end(),
  };
}
