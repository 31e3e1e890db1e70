import type { LayoutInput } from './layout';
import type { SeatStatus } from './statuses';
import type { WaitingRoomSettings } from './waitingRoom';

/** An event's fixed terms: what a booking is checked against. */
export interface EventTerms {
  id: string;
  name: string;
  /** What the event is; searched (GET /events/search). Empty when not given. */
  description: string;
  venue: string;
  performers: string[];
  totalSeats: number;
  priceCents: number;
  holdSeconds: number;
  maxSeatsPerBooking: number;
  /** Most seats one buyer may hold or have booked for the event, over all their bookings; null: no limit. */
  maxSeatsPerBuyer: number | null;
  /** A confirmed booking may be cancelled until this many hours before startsAt. */
  cancellationCutoffHours: number;
  startsAt: string | null;
  /** When the sale opens (ISO); null: on sale now. Buyers who join the waiting room before it are drawn fairly. */
  onSaleAt: string | null;
  /** The waiting room, or null when buyers book directly. */
  waitingRoom: WaitingRoomSettings | null;
  createdAt: string;
  updatedAt: string;
}

/** An event as the API shows it: its terms and how many seats are neither held nor booked. */
export interface EventRecord extends EventTerms {
  availableSeats: number;
}

export interface NewEvent {
  name: string;
  /** Omitted: empty. */
  description?: string;
  venue?: string;
  performers?: string[];
  totalSeats: number;
  priceCents: number;
  holdSeconds: number;
  maxSeatsPerBooking: number;
  /** Omitted or null: no per-buyer limit. */
  maxSeatsPerBuyer?: number | null;
  /** Omitted: DEFAULT_CANCELLATION_CUTOFF_HOURS. */
  cancellationCutoffHours?: number;
  startsAt: string | null;
  /** Omitted: null (on sale now, no waiting room). */
  onSaleAt?: string | null;
  waitingRoom?: WaitingRoomSettings | null;
  /** Sections, rows, categories and GA areas; totalSeats is then the number of seats in the sections. */
  layout?: LayoutInput;
}

/** What `PATCH /events/:id` may change: the sale's opening and the waiting room. Omitted: unchanged. */
export interface EventSaleChange {
  onSaleAt?: string | null;
  waitingRoom?: WaitingRoomSettings | null;
}

/** Why a hold over the per-buyer limit was refused: the same words on the first answer and on replays. */
export function buyerLimitMessage(limit: number): string {
  return `At most ${limit} seats per buyer for this event, counting the buyer's other bookings`;
}

export interface SeatView {
  seatNumber: number;
  /** True when the seat cannot be taken now (held or booked): the seed contract's meaning of "booked". */
  booked: boolean;
  status: SeatStatus;
}

/** NOTIFY channel saying an event's row changed (payload: its id): API nodes forget their copy. */
export const EVENT_CHANGES_CHANNEL = 'event_changed';
