/** GET /events/:id/seat-map as a client on the wire sees it: raw (possibly compressed) bytes and headers. */
import http from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { decodeSeatMap, type DecodedSeatStatus } from '../../domain/seatBitmap';

export interface SeatMapResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as sent (compressed when Content-Encoding says so). */
  wire: Buffer;
  /** The body after undoing its Content-Encoding: the bitmap itself on a 200. */
  bitmap: Buffer;
  version: number;
  totalSeats: number;
}

export async function getSeatMap(baseUrl: string, eventId: string, headers: Record<string, string> = {}): Promise<SeatMapResponse> {
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    http.get(`${baseUrl}/events/${eventId}/seat-map`, { headers }, resolve).on('error', reject);
  });
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  const wire = Buffer.concat(chunks);
  const encoding = res.headers['content-encoding'];
  const bitmap = encoding === 'br' ? brotliDecompressSync(wire) : encoding === 'gzip' ? gunzipSync(wire) : wire;
  return {
    status: res.statusCode ?? 0,
    headers: res.headers,
    wire,
    bitmap,
    version: Number(res.headers['seat-map-version']),
    totalSeats: Number(res.headers['seat-map-seats']),
  };
}

/** The seat statuses a seat-map answer decodes to, by seat number. */
export function seatMapStatuses(res: SeatMapResponse): Map<number, DecodedSeatStatus> {
  return new Map(decodeSeatMap(res.bitmap, res.totalSeats).map((status, i) => [i + 1, status]));
}
