import type { Admission, TicketRecord, TicketStatus } from '../../domain/ticket';
import type { Pool, PoolClient } from '../pool';

/**
 * Issues one VALID ticket per seat of a booking, inside the caller's transaction (the one that
 * confirms the booking). Idempotent: seats that already have their ticket get no second one.
 * Returns how many tickets this call issued.
 */
export async function issueTicketsOfBooking(client: PoolClient, bookingId: string): Promise<number> {
  const { rowCount } = await client.query(
    `INSERT INTO tickets (id, booking_id, event_id, seat_number)
     SELECT gen_random_uuid(), b.id, b.event_id, seat
       FROM bookings b, unnest(b.seat_numbers) AS seat
      WHERE b.id = $1
      ORDER BY seat
     ON CONFLICT (booking_id, seat_number) DO NOTHING`,
    [bookingId],
  );
  return rowCount ?? 0;
}

/**
 * Voids a booking's VALID tickets (the cancellation saga's step); tickets already used stay USED.
 * Idempotent: returns how many this call voided, 0 on a retry. Run it before the seats are released.
 */
export async function voidTicketsOfBooking(client: PoolClient, bookingId: string): Promise<number> {
  const { rowCount } = await client.query(
    `UPDATE tickets SET status = 'VOIDED', voided_at = now() WHERE booking_id = $1 AND status = 'VALID'`,
    [bookingId],
  );
  return rowCount ?? 0;
}

/**
 * Makes a booking's VOIDED tickets VALID again (the saga's compensation). Idempotent: returns how
 * many this call restored. Only while the booking still holds its seats: a seat that has a live
 * ticket of another booking makes it fail (unique violation, 23505) and change nothing.
 */
export async function restoreTicketsOfBooking(client: PoolClient, bookingId: string): Promise<number> {
  const { rowCount } = await client.query(
    `UPDATE tickets SET status = 'VALID', voided_at = NULL WHERE booking_id = $1 AND status = 'VOIDED'`,
    [bookingId],
  );
  return rowCount ?? 0;
}

interface TicketRow {
  id: string;
  booking_id: string;
  event_id: string;
  seat_number: number;
  status: TicketStatus;
  issued_at: Date;
  used_at: Date | null;
  used_nonce: string | null;
  voided_at: Date | null;
}

function toTicket(row: TicketRow): TicketRecord {
  return {
    id: row.id,
    bookingId: row.booking_id,
    eventId: row.event_id,
    seatNumber: row.seat_number,
    status: row.status,
    issuedAt: row.issued_at.toISOString(),
    usedAt: row.used_at?.toISOString() ?? null,
    voidedAt: row.voided_at?.toISOString() ?? null,
  };
}

export async function listTicketsOfBooking(pool: Pool, bookingId: string): Promise<TicketRecord[]> {
  const { rows } = await pool.query<TicketRow>('SELECT * FROM tickets WHERE booking_id = $1 ORDER BY seat_number', [
    bookingId,
  ]);
  return rows.map(toTicket);
}

export type AdmitOutcome =
  | { kind: 'admitted'; admission: Admission }
  | { kind: 'not-found' }
  | { kind: 'voided' }
  | { kind: 'already-used'; usedAt: string };

const admissionOf = (row: TicketRow, usedAt: Date): Admission => ({
  admitted: true,
  ticketId: row.id,
  seatNumber: row.seat_number,
  eventId: row.event_id,
  usedAt: usedAt.toISOString(),
});

/**
 * Admits a ticket once. The one UPDATE … WHERE status = 'VALID' decides: of simultaneous scans
 * exactly one finds the row VALID (the others wait for its lock, then see it USED). A scan that lost,
 * or came later, reads why: a repeat of the admitting scan's nonce gets the same admission again.
 */
export async function admitTicket(
  pool: Pool,
  scan: { ticketId: string; eventId: string; nonce: string | null },
): Promise<AdmitOutcome> {
  const updated = await pool.query<TicketRow>(
    `UPDATE tickets SET status = 'USED', used_at = now(), used_nonce = $3
      WHERE id = $1 AND event_id = $2 AND status = 'VALID'
      RETURNING *`,
    [scan.ticketId, scan.eventId, scan.nonce],
  );
  const admitted = updated.rows[0];
  if (admitted?.used_at) return { kind: 'admitted', admission: admissionOf(admitted, admitted.used_at) };

  const { rows } = await pool.query<TicketRow>('SELECT * FROM tickets WHERE id = $1 AND event_id = $2', [
    scan.ticketId,
    scan.eventId,
  ]);
  const ticket = rows[0];
  if (!ticket) return { kind: 'not-found' };
  if (ticket.status === 'VOIDED') return { kind: 'voided' };
  if (ticket.status === 'USED' && ticket.used_at) {
    if (scan.nonce !== null && ticket.used_nonce === scan.nonce) {
      return { kind: 'admitted', admission: admissionOf(ticket, ticket.used_at) };
    }
    return { kind: 'already-used', usedAt: ticket.used_at.toISOString() };
  }
  // VALID again between the two statements: only a restore after a void can do that. Try once more.
  return admitTicket(pool, scan);
}
