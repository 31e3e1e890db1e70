import type { BookingRecord, BookingState } from '../../domain/booking';
import { cancelUpdate, confirmUpdate } from '../../domain/messages';
import { findBooking } from '../../db/queries/bookings';
import { findApplicationFailure } from '../../domain/failures';
import type { ApiDeps } from '../deps';
import { ErrorCode } from '../../domain/errorCodes';
import { AppError, bookingNotFound } from '../errors';
import { presentBooking, type BookingResponse } from '../presenters/booking';
import { closedBookingError, isWorkflowClosed, toAppError } from './bookingFailures';
import { cancelConfirmedBooking, type CancellationAnswer } from './cancelConfirmedBooking';

type Action = 'confirm' | 'cancel';

/**
 * Sends confirm or cancel to a live booking's workflow and answers with the outcome. A booking that
 * already settled answers from the database: repeating a successful confirm or cancel is a no-op.
 */
async function settle(
  deps: ApiDeps,
  booking: BookingRecord,
  action: Action,
  send: (workflowId: string) => Promise<BookingState>,
): Promise<BookingResponse> {
  const done = action === 'confirm' ? 'CONFIRMED' : 'CANCELLED';
  if (booking.status !== 'HELD') {
    if (booking.status === done) return presentBooking(booking);
    throw closedBookingError(booking.status, action);
  }
  try {
    await send(booking.workflowId);
  } catch (err) {
    const failure = findApplicationFailure(err);
    if (failure) throw toAppError(failure);
    if (!isWorkflowClosed(err)) throw err;
  }
  const settled = await findBooking(deps.pool, booking.id);
  if (!settled) throw bookingNotFound(booking.id);
  if (settled.status !== done) throw closedBookingError(settled.status, action);
  return presentBooking(settled);
}

/** `booking` is one the caller may act on (api/policies: loadBookingFor). */
export function confirmBookingWithToken(deps: ApiDeps, booking: BookingRecord, paymentToken: string) {
  return settle(deps, booking, 'confirm', (workflowId) =>
    deps.temporal.workflow.getHandle(workflowId).executeUpdate(confirmUpdate, { args: [{ paymentToken, receivedAt: new Date().toISOString() }] }),
  );
}

export function cancelHeldBooking(deps: ApiDeps, booking: BookingRecord) {
  return settle(deps, booking, 'cancel', (workflowId) =>
    deps.temporal.workflow.getHandle(workflowId).executeUpdate(cancelUpdate),
  );
}

/**
 * POST /bookings/:id/cancel: a hold is released by its booking workflow; a confirmed booking is
 * cancelled (refunded, tickets voided, seats released) by the cancellation saga, also when it was
 * confirmed while this cancel was on its way.
 */
export async function cancelBooking(deps: ApiDeps, booking: BookingRecord): Promise<CancellationAnswer> {
  if (booking.status === 'CONFIRMED') return cancelConfirmedBooking(deps, booking);
  try {
    return { status: 200, booking: await cancelHeldBooking(deps, booking) };
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== ErrorCode.NotCancellable) throw err;
    const now = await findBooking(deps.pool, booking.id);
    if (now?.status !== 'CONFIRMED') throw err;
    return cancelConfirmedBooking(deps, now);
  }
}
