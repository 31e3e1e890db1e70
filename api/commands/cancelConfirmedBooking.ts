import { findBooking } from '../../db/queries/bookings';
import { findEventTerms } from '../../db/queries/events';
import type { BookingRecord } from '../../domain/booking';
import { cancellationDeadline, cancellationOpen } from '../../domain/cancellationPolicy';
import { findApplicationFailure } from '../../domain/failures';
import { eventIdSearchAttribute, userIdSearchAttribute } from '../../domain/searchAttributes';
import { cancellationWorkflowId } from '../../domain/taskQueue';
import type { CancellationState } from '../../domain/payments';
import type { cancellationWorkflow } from '../../workflows';
import type { ApiDeps } from '../deps';
import { bookingNotFound, cancellationClosed, refundRefused } from '../errors';
import { presentBooking, type BookingResponse } from '../presenters/booking';
import { toAppError } from './bookingFailures';

/** How long the API waits for the saga before answering 202 (a refund being retried can take longer). */
const SAGA_WAIT_MS = 20_000;

export interface CancellationAnswer {
  /** 200: cancelled and refunded; 202: the saga is still running (poll GET /bookings/:id). */
  status: 200 | 202;
  booking: BookingResponse;
}

/**
 * Cancels a confirmed booking before its event's cutoff by running the cancellation saga
 * (cancellationWorkflow, id `cancel-<bookingId>`): a cancel already running is joined, not repeated.
 * A refund the provider refuses answers 409 REFUND_REFUSED, the booking staying CONFIRMED.
 */
export async function cancelConfirmedBooking(deps: ApiDeps, booking: BookingRecord): Promise<CancellationAnswer> {
  const event = await findEventTerms(deps.pool, booking.eventId);
  if (!event) throw bookingNotFound(booking.id);
  if (!cancellationOpen(event, Date.now())) throw cancellationClosed(cancellationDeadline(event) ?? '');

  const handle = await deps.temporal.workflow.start<typeof cancellationWorkflow>('cancellationWorkflow', {
    workflowId: cancellationWorkflowId(booking.id),
    taskQueue: deps.env.taskQueue,
    args: [{ bookingId: booking.id }],
    // A cancel asked again while one runs joins it; after a compensated one, a new attempt may start.
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    typedSearchAttributes: [
      { key: eventIdSearchAttribute, value: booking.eventId },
      { key: userIdSearchAttribute, value: booking.userId },
    ],
    staticSummary: `${booking.userId}: cancel booking ${booking.id} (seats ${booking.seatNumbers.join(', ')})`,
  });

  let outcome: CancellationState | undefined;
  try {
    outcome = await within(handle.result(), SAGA_WAIT_MS);
  } catch (err) {
    const failure = findApplicationFailure(err);
    if (failure) throw toAppError(failure);
    throw err;
  }
  const current = await findBooking(deps.pool, booking.id);
  if (!current) throw bookingNotFound(booking.id);
  if (outcome?.outcome === 'COMPENSATED') throw refundRefused(current.cancellation?.reason ?? 'refused by the provider');
  return { status: outcome ? 200 : 202, booking: presentBooking(current) };
}

/** The promise's value, or undefined if it takes longer than `ms` (it then runs on, unobserved). */
function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
