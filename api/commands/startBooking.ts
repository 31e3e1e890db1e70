import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation } from '@temporalio/client';
import type { BookingRecord, BookingState, BookingWorkflowInput } from '../../domain/booking';
import { buyerLimitMessage, type EventTerms } from '../../domain/event';
import { holdUpdate } from '../../domain/messages';
import {
  bookingStatusSearchAttribute,
  eventIdSearchAttribute,
  userIdSearchAttribute,
} from '../../domain/searchAttributes';
import { findApplicationFailure } from '../../domain/failures';
import { bookingWorkflowId } from '../../domain/taskQueue';
import { findBooking } from '../../db/queries/bookings';
import { findEventTerms } from '../../db/queries/events';
import type { bookingWorkflow } from '../../workflows';
import type { ApiDeps } from '../deps';
import { buyerLimitExceeded, eventNotFound, idempotencyKeyReused, invalidSeats, seatUnavailable } from '../errors';
import { presentBooking, type BookingResponse } from '../presenters/booking';
import { isWorkflowClosed, toAppError } from './bookingFailures';
import { idempotentBookingId } from './idempotentBookingId';
import type { SeatPick } from '../../domain/layout';
import { answersPick, checkPick, describePick, notEnoughSeats } from './seatPicks';

export interface StartBookingRequest {
  eventId: string;
  userId: string;
  seatNumbers: number[];
  idempotencyKey: string | null;
  confirmOnHold: boolean;
  /** Best available or GA places instead of seatNumbers (then empty). */
  pick?: SeatPick;
}

/** Seat numbers must be distinct, on the seat map, and few enough for one booking. */
export function checkSeatNumbers(event: EventTerms, seatNumbers: number[]): void {
  const duplicates = seatNumbers.filter((n, i) => seatNumbers.indexOf(n) !== i);
  if (duplicates.length > 0) throw invalidSeats(`Duplicate seat numbers: ${[...new Set(duplicates)].join(', ')}`);
  const outOfRange = seatNumbers.filter((n) => n < 1 || n > event.totalSeats);
  if (outOfRange.length > 0) {
    throw invalidSeats(`Seats ${outOfRange.join(', ')} do not exist; this event has seats 1 to ${event.totalSeats}`, {
      seats: outOfRange,
    });
  }
  if (seatNumbers.length > event.maxSeatsPerBooking) {
    throw invalidSeats(`At most ${event.maxSeatsPerBooking} seats per booking for this event`);
  }
}

/**
 * Checkout: starts the booking workflow and answers with its hold (update-with-start), or with
 * the booking an earlier request with the same Idempotency-Key made.
 */
export async function startBooking(deps: ApiDeps, req: StartBookingRequest): Promise<BookingResponse> {
  const event = await findEventTerms(deps.pool, req.eventId);
  if (!event) throw eventNotFound(req.eventId);
  if (req.pick) await checkPick(deps.pool, event, req.pick);
  else checkSeatNumbers(event, req.seatNumbers);

  const bookingId = req.idempotencyKey ? idempotentBookingId(req.userId, req.idempotencyKey) : randomUUID();
  if (req.idempotencyKey) {
    const earlier = await findBooking(deps.pool, bookingId);
    if (earlier) return replay(req, earlier, event);
  }

  const input: BookingWorkflowInput = {
    bookingId,
    eventId: event.id,
    userId: req.userId,
    seatNumbers: req.seatNumbers,
    holdSeconds: event.holdSeconds,
    confirmOnHold: req.confirmOnHold,
    idempotencyKey: req.idempotencyKey,
    holdLimits: { maxExtensions: deps.env.holdMaxExtensions, maxTotalSeconds: deps.env.holdMaxTotalSeconds },
    ...(req.pick ? { pick: req.pick } : {}),
  };
  const startWorkflowOperation = new WithStartWorkflowOperation<typeof bookingWorkflow>('bookingWorkflow', {
    workflowId: bookingWorkflowId(bookingId),
    taskQueue: deps.env.taskQueue,
    args: [input],
    // Concurrent retries with one key join the running workflow; a closed one is never restarted.
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    typedSearchAttributes: [
      { key: eventIdSearchAttribute, value: event.id },
      { key: userIdSearchAttribute, value: req.userId },
      { key: bookingStatusSearchAttribute, value: 'PENDING' },
    ],
    staticSummary: `${req.userId}: ${req.pick ? describePick(req.pick) : `seats ${req.seatNumbers.join(', ')}`} of “${event.name}”`,
  });
  let state: BookingState;
  try {
    state = await sharedInFlight(bookingId, () =>
      deps.temporal.workflow.executeUpdateWithStart(holdUpdate, { startWorkflowOperation }),
    );
  } catch (err) {
    const failure = findApplicationFailure(err);
    if (failure) throw toAppError(failure);
    if (req.idempotencyKey && isWorkflowClosed(err)) {
      const earlier = await findBooking(deps.pool, bookingId);
      if (earlier) return replay(req, earlier, event);
    }
    throw err;
  }
  return sameRequestOrThrow(req, presentBooking(state));
}

// Retries with one Idempotency-Key that reach this node together share one update: Temporal limits
// the updates in flight per workflow, and they would all get the same answer anyway.
const inFlight = new Map<string, Promise<BookingState>>();

function sharedInFlight(bookingId: string, start: () => Promise<BookingState>): Promise<BookingState> {
  const existing = inFlight.get(bookingId);
  if (existing) return existing;
  const promise = start().finally(() => inFlight.delete(bookingId));
  inFlight.set(bookingId, promise);
  return promise;
}

/** A reused Idempotency-Key must describe the same booking; otherwise it is the caller's mistake. */
function sameRequestOrThrow(req: StartBookingRequest, booking: BookingResponse): BookingResponse {
  const same =
    booking.eventId === req.eventId &&
    (req.pick
      ? answersPick(req.pick, booking)
      : booking.seatNumbers.length === req.seatNumbers.length &&
        booking.seatNumbers.every((n, i) => n === req.seatNumbers[i]));
  if (!same) throw idempotencyKeyReused();
  return booking;
}

/** The earlier request's answer, replayed: its hold, or the same SEAT_UNAVAILABLE or BUYER_LIMIT_EXCEEDED it got. */
function replay(req: StartBookingRequest, earlier: BookingRecord, event: EventTerms): BookingResponse {
  const booking = sameRequestOrThrow(req, presentBooking(earlier));
  if (earlier.status === 'REJECTED' && earlier.rejectionReason === 'BUYER_LIMIT_EXCEEDED') {
    const limit = event.maxSeatsPerBuyer ?? 0;
    throw buyerLimitExceeded(buyerLimitMessage(limit), { limit, requested: earlier.seatNumbers.length });
  }
  if (earlier.status === 'REJECTED' && earlier.rejectionReason === 'NOT_ENOUGH_SEATS') throw notEnoughSeats(req.pick);
  if (earlier.status === 'REJECTED') throw seatUnavailable(earlier.rejectedSeats ?? []);
  return booking;
}
