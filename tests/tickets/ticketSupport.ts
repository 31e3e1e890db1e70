/** Steps the ticket tests share: a confirmed booking, its tickets, and a scan at the gate. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { BookingResponse } from '../../api/presenters/booking';
import type { Pool } from '../../db/pool';
import type { TicketResponse } from '../../api/presenters/ticket';
import type { EventRecord } from '../../domain/event';
import type { Admission } from '../../domain/ticket';
import { request, type JsonResponse } from '../support/http';

export interface TicketsBody {
  bookingId: string;
  bookingStatus: string;
  tickets: TicketResponse[];
}

const bearer = (token: string | undefined): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});

export async function newEvent(
  baseUrl: string,
  options: { token?: string; totalSeats?: number; priceCents?: number } = {},
): Promise<EventRecord> {
  const res = await request<EventRecord>(
    baseUrl,
    'POST',
    '/events',
    { name: `Ticket test ${randomUUID().slice(0, 8)}`, totalSeats: options.totalSeats ?? 20, priceCents: options.priceCents ?? 2500 },
    bearer(options.token),
  );
  assert.equal(res.status, 201, `creating an event answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Holds seats and pays with a token through POST /bookings/:id/confirm: a CONFIRMED booking. */
export async function confirmedBooking(
  baseUrl: string,
  eventId: string,
  seatNumbers: number[],
  options: { token?: string; userId?: string } = {},
): Promise<BookingResponse> {
  const userId = options.token ? undefined : (options.userId ?? `user-${randomUUID().slice(0, 8)}`);
  const held = await request<BookingResponse>(baseUrl, 'POST', '/bookings', { eventId, userId, seatNumbers }, bearer(options.token));
  assert.equal(held.status, 201, `holding seats answered ${held.status}: ${JSON.stringify(held.body)}`);
  const confirmed = await request<BookingResponse>(
    baseUrl,
    'POST',
    `/bookings/${held.body.id}/confirm`,
    { paymentToken: `tok_${randomUUID()}` },
    bearer(options.token),
  );
  assert.equal(confirmed.status, 200, `confirming answered ${confirmed.status}: ${JSON.stringify(confirmed.body)}`);
  assert.equal(confirmed.body.status, 'CONFIRMED');
  return confirmed.body;
}

export function getTickets(baseUrl: string, bookingId: string, token?: string): Promise<JsonResponse<TicketsBody>> {
  return request<TicketsBody>(baseUrl, 'GET', `/bookings/${bookingId}/tickets`, undefined, bearer(token));
}

export async function ticketsOf(baseUrl: string, bookingId: string, token?: string): Promise<TicketResponse[]> {
  const res = await getTickets(baseUrl, bookingId, token);
  assert.equal(res.status, 200, `listing tickets answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.tickets;
}

export function checkIn(
  baseUrl: string,
  scan: { code?: string; nonce?: string; eventId?: string },
  token?: string,
): Promise<JsonResponse<Admission>> {
  return request<Admission>(baseUrl, 'POST', '/checkin', scan, bearer(token));
}

export interface TicketRow {
  id: string;
  bookingId: string;
  eventId: string;
  seatNumber: number;
  status: string;
  usedAt: string | null;
  usedNonce: string | null;
  voidedAt: string | null;
}

/** The tickets table's rows for a booking or an event, read straight from the database. */
export async function ticketRows(
  pool: Pool,
  where: { bookingId: string } | { eventId: string },
): Promise<TicketRow[]> {
  const [column, value] = 'bookingId' in where ? ['booking_id', where.bookingId] : ['event_id', where.eventId];
  const { rows } = await pool.query<TicketRow>(
    `SELECT id, booking_id AS "bookingId", event_id AS "eventId", seat_number AS "seatNumber", status,
            to_char(used_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS "usedAt", used_nonce AS "usedNonce",
            to_char(voided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS "voidedAt"
       FROM tickets WHERE ${column} = $1 ORDER BY booking_id, seat_number`,
    [value],
  );
  return rows;
}
