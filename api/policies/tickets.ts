import { listTicketsOfBooking } from '../../db/queries/tickets';
import type { BookingRecord } from '../../domain/booking';
import type { TicketRecord } from '../../domain/ticket';
import type { ApiDeps } from '../deps';
import type { Caller } from './caller';
import { loadBookingFor } from './bookings';

/** A booking's tickets, for whoever may read the booking (anyone else: 404 BOOKING_NOT_FOUND). */
export async function loadTicketsFor(
  deps: Pick<ApiDeps, 'pool'>,
  caller: Caller,
  rawBookingId: string,
): Promise<{ booking: BookingRecord; tickets: TicketRecord[] }> {
  const booking = await loadBookingFor(deps, caller, rawBookingId);
  return { booking, tickets: await listTicketsOfBooking(deps.pool, booking.id) };
}
