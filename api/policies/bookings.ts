import { z } from 'zod';
import { findBooking } from '../../db/queries/bookings';
import type { BookingRecord } from '../../domain/booking';
import type { ApiDeps } from '../deps';
import { bookingNotFound } from '../errors';
import type { Caller } from './caller';
import { mayActFor } from './ownership';

const BookingIdSchema = z.uuid();

/**
 * The booking the caller may read or act on, or 404 BOOKING_NOT_FOUND: for an id that is not a
 * UUID, a booking that does not exist, and another buyer's booking alike.
 */
export async function loadBookingFor(deps: Pick<ApiDeps, 'pool'>, caller: Caller, rawId: string): Promise<BookingRecord> {
  const id = BookingIdSchema.safeParse(rawId);
  const booking = id.success ? await findBooking(deps.pool, id.data) : undefined;
  if (!booking || !mayActFor(caller, booking.userId)) throw bookingNotFound(rawId);
  return booking;
}
