/**
 * What the database says about a booking, read straight from the tables: the ground truth the
 * workflow and activity tests assert on (the API's answers are tested elsewhere).
 */
import type { Pool } from '../../db/pool';

/** A timestamp column as text to the microsecond, so rows compare exactly. */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;

export interface SeatRow {
  seatNumber: number;
  status: string;
  bookingId: string | null;
  holdExpiresAt: string | null;
  updatedAt: string;
}

export interface BookingRow {
  id: string;
  status: string;
  seatNumbers: number[];
  amountCents: number;
  expiresAt: string;
  rejectedSeats: number[] | null;
  updatedAt: string;
}

export interface PaymentRow {
  paymentId: string;
  bookingId: string | null;
  amountCents: number;
  disposition: string;
  providerEventId: string | null;
  createdAt: string;
}

export async function seatsOf(pool: Pool, eventId: string): Promise<SeatRow[]> {
  const { rows } = await pool.query<SeatRow>(
    `SELECT seat_number AS "seatNumber", status, booking_id AS "bookingId",
            ${iso('hold_expires_at')} AS "holdExpiresAt",
            ${iso('updated_at')} AS "updatedAt"
       FROM seats WHERE event_id = $1 ORDER BY seat_number`,
    [eventId],
  );
  return rows;
}

const SELECT_BOOKINGS = `SELECT id, status, seat_numbers AS "seatNumbers", amount_cents AS "amountCents",
        ${iso('expires_at')} AS "expiresAt", rejected_seats AS "rejectedSeats", ${iso('updated_at')} AS "updatedAt"
   FROM bookings`;

export async function bookingsOf(pool: Pool, eventId: string): Promise<BookingRow[]> {
  const { rows } = await pool.query<BookingRow>(`${SELECT_BOOKINGS} WHERE event_id = $1 ORDER BY id`, [eventId]);
  return rows;
}

export async function bookingRow(pool: Pool, bookingId: string): Promise<BookingRow | undefined> {
  const { rows } = await pool.query<BookingRow>(`${SELECT_BOOKINGS} WHERE id = $1`, [bookingId]);
  return rows[0];
}

export async function paymentsOf(pool: Pool, bookingId: string): Promise<PaymentRow[]> {
  const { rows } = await pool.query<PaymentRow>(
    `SELECT payment_id AS "paymentId", booking_id AS "bookingId", amount_cents AS "amountCents", disposition,
            provider_event_id AS "providerEventId",
            ${iso('created_at')} AS "createdAt"
       FROM payments WHERE booking_id = $1 ORDER BY payment_id`,
    [bookingId],
  );
  return rows;
}

/** Seats that are neither held nor booked, counted from the seat rows. */
export async function availableSeatCount(pool: Pool, eventId: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM seats WHERE event_id = $1 AND status = 'AVAILABLE'`,
    [eventId],
  );
  return rows[0].n;
}
