import { findBooking } from '../../db/queries/bookings';
import type { BookingRecord } from '../../domain/booking';
import { findApplicationFailure } from '../../domain/failures';
import { extendHoldUpdate } from '../../domain/messages';
import type { ApiDeps } from '../deps';
import { bookingClosed, holdExpired } from '../errors';
import { presentBooking, type BookingResponse } from '../presenters/booking';
import { isWorkflowClosed, toAppError } from './bookingFailures';

/**
 * Extends a live hold through the workflow's extendHold update and answers the booking with its new
 * expiry. The workflow enforces the limits (409 EXTENSION_LIMIT); a lapsed hold answers 410.
 */
export async function extendBookingHold(
  deps: ApiDeps,
  booking: BookingRecord,
  seconds: number | undefined,
): Promise<BookingResponse> {
  if (booking.status === 'EXPIRED') throw holdExpired();
  if (booking.status !== 'HELD') throw bookingClosed(booking.status);
  try {
    const state = await deps.temporal.workflow
      .getHandle(booking.workflowId)
      .executeUpdate(extendHoldUpdate, { args: [seconds === undefined ? {} : { seconds }] });
    return presentBooking(state);
  } catch (err) {
    const failure = findApplicationFailure(err);
    if (failure) throw toAppError(failure);
    if (!isWorkflowClosed(err)) throw err;
  }
  // The workflow closed meanwhile: the booking is no longer held.
  const closed = await findBooking(deps.pool, booking.id);
  throw closed?.status === 'EXPIRED' ? holdExpired() : bookingClosed(closed?.status ?? 'CLOSED');
}
