import type { SeatStatus } from './statuses';

/** One seat in a seat-map message (the seed document's shape: seat_id is the seat number). */
export interface SeatState {
  seat_id: number;
  status: SeatStatus;
}

/** A committed change of some of an event's seats; `version` rises by one per change, per event. */
export interface SeatUpdate {
  type: 'seat_update';
  event_id: string;
  version: number;
  seats: SeatState[];
  /** When the change committed (ISO): lets clients and benchmarks measure delivery latency. */
  committed_at: string;
}

/**
 * The whole seat map at one version, in the compact form of GET /events/:id/seat-map
 * (domain/seatBitmap.ts) as base64; updates with a higher version follow it.
 */
export interface SeatSnapshot {
  event_id: string;
  version: number;
  /** Seats 1..total_seats. */
  total_seats: number;
  /** base64 of the 2-bit seat map. */
  seat_map: string;
}

/** Socket.IO event names, shared by the server, the page and the tests. */
export const SeatMapEvents = {
  subscribe: 'subscribe',
  unsubscribe: 'unsubscribe',
  resync: 'resync',
  snapshot: 'seat_snapshot',
  update: 'seat_update',
  error: 'error',
} as const;

/** The Postgres NOTIFY channel the seat-change outbox announces on. */
export const SEAT_CHANGES_CHANNEL = 'seat_changes';
