import type { EventTerms } from '../../domain/event';
import { notEnoughSeatsMessage, type SeatPick } from '../../domain/layout';
import { findPickTargets } from '../../db/queries/layouts';
import type { Pool } from '../../db/pool';
import { AppError, invalidSeats } from '../errors';
import { ErrorCode } from '../../domain/errorCodes';
import type { BookingResponse } from '../presenters/booking';

/** A best-available or GA request must fit one booking and name a category, section or area the event has. */
export async function checkPick(pool: Pool, event: EventTerms, pick: SeatPick): Promise<void> {
  if (pick.quantity > event.maxSeatsPerBooking) {
    throw invalidSeats(`At most ${event.maxSeatsPerBooking} seats per booking for this event`);
  }
  if (pick.category === undefined && pick.section === undefined && pick.area === undefined) return;
  const found = await findPickTargets(pool, event.id, pick);
  const missing = [
    !found.category && `category "${pick.category}"`,
    !found.section && `section "${pick.section}"`,
    !found.area && `area "${pick.area}"`,
  ].filter(Boolean);
  if (missing.length > 0) throw invalidSeats(`This event has no ${missing.join(', ')}`);
}

/** Whether a booking answers the request that made it: the same seats, or as many in the same GA area. */
export function answersPick(pick: SeatPick, booking: BookingResponse): boolean {
  const count = booking.area ? (booking.quantity ?? 0) : booking.seatNumbers.length;
  return (booking.area ?? undefined) === pick.area && (count === pick.quantity || count === 0);
}

export const notEnoughSeats = (pick: SeatPick | undefined, available = 0) =>
  new AppError(ErrorCode.NotEnoughSeats, notEnoughSeatsMessage(pick, available), { available });

/** What the workflow's summary says the buyer asked for. */
export function describePick(pick: SeatPick): string {
  if (pick.area) return `${pick.quantity} places in ${pick.area}`;
  const where = [pick.section && `section ${pick.section}`, pick.category && `category ${pick.category}`].filter(Boolean);
  return `${pick.random ? 'random' : 'best'} ${pick.quantity} seats${where.length ? ` (${where.join(', ')})` : ''}`;
}
