import type { SeatStatus } from './statuses';

export interface EventRecord {
  id: string;
  name: string;
  totalSeats: number;
  availableSeats: number;
  priceCents: number;
  holdSeconds: number;
  maxSeatsPerBooking: number;
  startsAt: string | null;
  createdAt: string;
  updatedAt: string;
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
