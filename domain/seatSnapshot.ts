import { decodeSeatMap, fromBase64, toBase64, type DecodedSeatStatus } from './seatBitmap';
import type { SeatSnapshot } from './seatMap';

/** One seat of a decoded snapshot. */
export interface DecodedSeat {
  seat_id: number;
  status: DecodedSeatStatus;
}

/** A snapshot with its seats spelled out, seat order. */
export interface DecodedSeatSnapshot {
  event_id: string;
  version: number;
  seats: DecodedSeat[];
}

export function compactSnapshot(eventId: string, version: number, totalSeats: number, bitmap: Uint8Array): SeatSnapshot {
  return { event_id: eventId, version, total_seats: totalSeats, seat_map: toBase64(bitmap) };
}

export function snapshotStatuses(snapshot: SeatSnapshot): DecodedSeatStatus[] {
  return decodeSeatMap(fromBase64(snapshot.seat_map), snapshot.total_seats);
}

export function decodeSnapshot(snapshot: SeatSnapshot): DecodedSeatSnapshot {
  return {
    event_id: snapshot.event_id,
    version: snapshot.version,
    seats: snapshotStatuses(snapshot).map((status, i) => ({ seat_id: i + 1, status })),
  };
}
