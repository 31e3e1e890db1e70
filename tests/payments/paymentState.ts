/** What the database says about refunds, the simulator's records, cancellations and tickets. */
import type { Pool } from '../../db/pool';
import { findRefund, type RefundRow } from '../../db/queries/refunds';
import { simulatedRefundsOf } from '../../db/queries/simulatedPayments';
import { eventually } from '../support/factories';

export { findRefund, simulatedRefundsOf, type RefundRow };

/** Waits until the payment's refund row has `status` (SUCCEEDED or FAILED). */
export function waitForRefund(pool: Pool, paymentId: string, status: RefundRow['status'], timeoutMs = 30_000): Promise<RefundRow> {
  return eventually(
    async () => {
      const row = await findRefund(pool, paymentId);
      return row?.status === status ? row : undefined;
    },
    timeoutMs,
    `the refund of ${paymentId} to be ${status}`,
  );
}

export async function ticketStatuses(pool: Pool, bookingId: string): Promise<string[]> {
  const { rows } = await pool.query<{ status: string }>(
    'SELECT status FROM tickets WHERE booking_id = $1 ORDER BY seat_number',
    [bookingId],
  );
  return rows.map((r) => r.status);
}

export async function cancellationOf(pool: Pool, bookingId: string): Promise<{ status: string; reason: string | null } | undefined> {
  const { rows } = await pool.query<{ status: string; reason: string | null }>(
    'SELECT status, reason FROM cancellations WHERE booking_id = $1',
    [bookingId],
  );
  return rows[0];
}

/** The seat changes recorded for these seats of the event, oldest first, as [seat, status] pairs. */
export async function seatChangesOf(pool: Pool, eventId: string, seatNumbers: number[]): Promise<[number, string][]> {
  const { rows } = await pool.query<{ seats: { seat_id: number; status: string }[] }>(
    'SELECT seats FROM seat_changes WHERE event_id = $1 ORDER BY version',
    [eventId],
  );
  return rows.flatMap((r) =>
    r.seats.filter((s) => seatNumbers.includes(s.seat_id)).map((s): [number, string] => [s.seat_id, s.status]),
  );
}
