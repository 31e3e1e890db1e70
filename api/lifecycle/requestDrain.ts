import type http from 'node:http';
import { ErrorCode } from '../../domain/errorCodes';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => unknown;

export interface DrainOutcome {
  /** Requests that finished with their own answer while draining. */
  finished: number;
  /** Requests still running at the deadline, answered 503 instead. */
  cutShort: number;
}

export interface RequestDrain {
  /** The server's request listener: counts each request from its arrival until its handler settles. */
  wrap(handler: Handler): (req: http.IncomingMessage, res: http.ServerResponse) => void;
  /** Requests that arrive from now on are refused with 503; resolves once the ones in flight settled or the deadline passed. */
  drain(deadlineMs: number): Promise<DrainOutcome>;
  inFlight(): number;
}

const UNAVAILABLE_BODY = JSON.stringify({
  error: true,
  code: ErrorCode.ServiceUnavailable,
  message: 'This API node is shutting down: retry, another node (or this one, restarted) will answer',
});

/** 503 with `Connection: close`, unless the handler already began its answer (then it is left alone). */
function answerUnavailable(res: http.ServerResponse): void {
  if (res.headersSent || res.writableEnded) return;
  res.writeHead(503, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(UNAVAILABLE_BODY),
    'Retry-After': '1',
    Connection: 'close',
  });
  res.end(UNAVAILABLE_BODY);
}

/**
 * Graceful shutdown for the HTTP handlers: a request counts as in flight until its Koa handler has
 * settled (so a long-lived SSE stream, whose handler returns once the stream is set up, does not hold
 * the drain up; Socket.IO's own requests never reach this listener). Draining refuses newcomers on
 * kept-alive connections with 503 and waits for the rest, up to a deadline.
 */
export function createRequestDrain(): RequestDrain {
  const running = new Set<http.ServerResponse>();
  let draining = false;
  let finished = 0;
  let wake: (() => void) | undefined;

  return {
    wrap(handler) {
      return (req, res) => {
        if (draining) {
          answerUnavailable(res);
          return;
        }
        running.add(res);
        const settle = () => {
          if (!running.delete(res)) return;
          if (draining) finished++;
          if (running.size === 0) wake?.();
        };
        // The client may go away before the handler settles: it no longer waits for an answer.
        res.once('close', settle);
        Promise.resolve()
          .then(() => handler(req, res))
          .finally(settle)
          .catch(() => undefined);
      };
    },
    async drain(deadlineMs) {
      draining = true;
      finished = 0;
      if (running.size > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, deadlineMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      const left = [...running];
      for (const res of left) answerUnavailable(res);
      running.clear();
      return { finished, cutShort: left.length };
    },
    inFlight: () => running.size,
  };
}
