import type http from 'node:http';
import type { SeatMapCache } from '../realtime/seatMapCache';
import type { SeatMapEncoding, SeatMapView } from '../realtime/seatMapView';
import { seatMapEncodingFor, seatMapHeaders } from '../routes/events/seatMapAnswer';
import { etagMatches } from '../middlewares/conditional';

// What a listener returns (Koa's: a promise settling when the request is answered) is passed on: the
// request drain (api/lifecycle/requestDrain.ts) counts a request in flight until it settles.
type Listener = (req: http.IncomingMessage, res: http.ServerResponse) => unknown;

const SEAT_MAP_PATH = /^\/events\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/seat-map(?:\?.*)?$/i;

/**
 * GET /events/:id/seat-map is what a crowd reads (every buyer's browser, every few seconds, and the
 * CDN in front of them): answered here, before Koa, from the map this node already holds, so a read
 * costs a regular expression and one write. Koa answers everything else, and every seat-map request
 * this path would answer differently from Koa's route: a map not loaded yet (Koa waits for it, or
 * says 404), a bearer token to check (a bad one is a 401 even on a public read), an Origin (CORS),
 * a method other than GET/HEAD. The route in api/routes/events answers those with the same headers
 * and bytes (seatMapAnswer.ts), which tests/reads check side by side.
 */
export function seatMapHotPath(
  seatMaps: SeatMapCache,
  securityHeaders: Readonly<Record<string, string>>,
  koa: Listener,
): Listener {
  // Each version's header lines, made once per answer kind and shared by every read of it.
  const prepared = new WeakMap<SeatMapView, Map<SeatMapEncoding | 'not-modified', string[]>>();
  const headersOf = (view: SeatMapView, kind: SeatMapEncoding | 'not-modified'): string[] => {
    let kinds = prepared.get(view);
    if (!kinds) prepared.set(view, (kinds = new Map()));
    let lines = kinds.get(kind);
    if (!lines) {
      const headers: Record<string, string> = { ...securityHeaders, ...seatMapHeaders(view) };
      if (kind !== 'not-modified') {
        if (kind !== 'identity') headers['Content-Encoding'] = kind;
        headers['Content-Type'] = 'application/octet-stream';
        headers['Content-Length'] = String(view.body(kind).length);
      }
      lines = Object.entries(headers).flat();
      kinds.set(kind, lines);
    }
    return lines;
  };

  return (req, res) => {
    const match = (req.method === 'GET' || req.method === 'HEAD') && !req.headers.authorization && !req.headers.origin
      ? SEAT_MAP_PATH.exec(req.url ?? '')
      : null;
    const view = match ? seatMaps.peekFresh(match[1].toLowerCase()) : undefined;
    if (!view) return koa(req, res);
    const ifNoneMatch = req.headers['if-none-match'];
    if (ifNoneMatch && etagMatches(ifNoneMatch, view.etag)) {
      res.writeHead(304, headersOf(view, 'not-modified'));
      res.end();
      return undefined;
    }
    const encoding = seatMapEncodingFor(req.headers['accept-encoding']);
    res.writeHead(200, headersOf(view, encoding));
    res.end(req.method === 'HEAD' ? undefined : view.body(encoding));
    return undefined;
  };
}
