import type { SeatStatus } from './statuses';

/** An event's fixed terms: what a booking is checked against. */
export interface EventTerms {
  id: string;
  name: string;
  totalSeats: number;
  priceCents: number;
  holdSeconds: number;
  maxSeatsPerBooking: number;
  startsAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** An event as the API shows it: its terms and how many seats are neither held nor booked. */
export interface EventRecord extends EventTerms {
  availableSeats: number;
}

export interface NewEvent {
  name: string;
  totalSeats: number;
  priceCents: number;
  holdSeconds: number;
  maxSeatsPerBooking: number;
  startsAt: string | null;
}

export interface SeatView {
  seatNumber: number;
  /** True when the seat cannot be taken now (held or booked): the seed contract's meaning of "booked". */
  booked: boolean;
  status: SeatStatus;
}
