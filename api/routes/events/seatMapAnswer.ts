import Negotiator from 'negotiator';
import type { SeatMapEncoding, SeatMapView } from '../../realtime/seatMapView';

/**
 * Shared caches (a CDN) may serve a map for a second and then revalidate with If-None-Match while
 * still serving it for a few more; the live stream (Socket.IO, SSE) carries the changes after it.
 */
export const SEAT_MAP_CACHE_CONTROL = 'public, max-age=1, s-maxage=1, stale-while-revalidate=5';

/** The headers of a seat-map answer, 200 or 304 alike (RFC 9110: a 304 repeats the validators). */
export function seatMapHeaders(view: SeatMapView): Record<string, string> {
  return {
    'Seat-Map-Version': String(view.version),
    'Seat-Map-Seats': String(view.totalSeats),
    'Cache-Control': SEAT_MAP_CACHE_CONTROL,
    Vary: 'Accept-Encoding',
    ETag: view.etag,
  };
}

const OFFERED: SeatMapEncoding[] = ['br', 'gzip', 'identity'];
// Where the client likes several equally (browsers send "gzip, deflate, br"), br: the smallest.
const PREFERRED: SeatMapEncoding[] = ['br', 'gzip'];
// negotiator 0.6.4 takes the server's preference as a second argument; its types predate it.
type EncodingNegotiator = { encodings(available: readonly string[], preferred: readonly string[]): string[] };
// Clients send a handful of distinct Accept-Encoding values: each is parsed once.
const chosen = new Map<string, SeatMapEncoding>();
const MAX_REMEMBERED = 256;

/** The best encoding the request's Accept-Encoding allows (q-values first, then br before gzip), identity when none is said. */
export function seatMapEncodingFor(acceptEncoding: string | undefined): SeatMapEncoding {
  const header = acceptEncoding ?? '';
  let encoding = chosen.get(header);
  if (!encoding) {
    const negotiator = new Negotiator({ headers: { 'accept-encoding': header } }) as unknown as EncodingNegotiator;
    const best = negotiator.encodings(OFFERED, PREFERRED)[0];
    encoding = (best as SeatMapEncoding | undefined) ?? 'identity';
    if (chosen.size >= MAX_REMEMBERED) chosen.clear();
    chosen.set(header, encoding);
  }
  return encoding;
}
