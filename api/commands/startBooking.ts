import { randomUUID } from 'node:crypto';
import { isGrpcServiceError } from '@temporalio/client';
import type { BookingRecord, BookingState, BookingWorkflowInput } from '../../domain/booking';
import { ErrorCode } from '../../domain/errorCodes';
import { buyerLimitMessage, type EventTerms } from '../../domain/event';
import {
  bookingStatusSearchAttribute,
  eventIdSearchAttribute,
  userIdSearchAttribute,
} from '../../domain/searchAttributes';
import { findApplicationFailure } from '../../domain/failures';
import { bookingWorkflowId } from '../../domain/taskQueue';
import { findBooking } from '../../db/queries/bookings';
import { findEventTerms } from '../../db/queries/events';
import { fenceCheckout } from '../../db/queries/holds';
import type { ApiDeps } from '../deps';
import { BUSY_RETRY_AFTER_SECONDS } from '../checkout/checkoutSlots';
import { CheckoutDeadlinePassed, withinDeadline } from '../checkout/deadline';
import { type BookingStartOptions, holdByUpdateWithStart, holdEagerly } from '../checkout/eagerHold';
import { isTemporalOverloaded } from '../checkout/temporalOverload';
import {
  type AppError,
  busy,
  buyerLimitExceeded,
  causedBy,
  checkoutTimedOut,
  eventNotFound,
  idempotencyKeyReused,
  invalidSeats,
  seatUnavailable,
  temporalUnavailable,
} from '../errors';
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
 * Checkout: starts the booking workflow and answers with its hold, or with the booking an earlier
 * request with the same Idempotency-Key made. With a booking worker in this process the workflow is
 * started eagerly and its hold's outcome is learned here (api/checkout/eagerHold.ts); otherwise, or
 * when the start was not eager, by update-with-start. Runs in one of this node's
 * checkout slots (503 BUSY when none is free) and within the checkout deadline: past it, or when
 * Temporal refuses for load, the booking id is fenced so that nothing is held for a buyer told 503.
 */
export async function startBooking(deps: ApiDeps, req: StartBookingRequest): Promise<BookingResponse> {
  return deps.checkouts.run(() => checkout(deps, req));
}

async function checkout(deps: ApiDeps, req: StartBookingRequest): Promise<BookingResponse> {
  const holdBy = Date.now() + deps.env.checkoutDeadlineMs;
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
    holdBy,
    ...(req.pick ? { pick: req.pick } : {}),
  };
  const options: BookingStartOptions = {
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
  };
  const local = deps.localWorker;
  // Book-at-once waits for the confirm too, which only the workflow can tell: it asks the workflow.
  const hold =
    local && !req.confirmOnHold
      ? () => holdEagerly(deps.temporal, local, options, input)
      : () => {
          if (local) local.paths.updateWithStart++;
          return holdByUpdateWithStart(deps.temporal, options);
        };
  let state: BookingState;
  try {
    state = await sharedInFlight(bookingId, () => withinDeadline(deps.temporal, holdBy, hold));
  } catch (err) {
    const failure = findApplicationFailure(err);
    if (failure) {
      if (failure.type === ErrorCode.CheckoutTimedOut) throw checkoutTimedOut(bookingId);
      throw toAppError(failure);
    }
    // Closed already (a retry's workflow, or ours refused before it was asked): the database has its hold's outcome.
    if (isWorkflowClosed(err)) {
      const earlier = await findBooking(deps.pool, bookingId);
      if (earlier) return replay(req, earlier, event);
    }
    const refusal = giveUpAnswer(bookingId, err);
    if (!refusal) throw err;
    // The workflow may have started (or may yet be): fence the id, unless its hold came first.
    const fence = { bookingId, eventId: event.id, userId: req.userId, seatNumbers: req.seatNumbers, idempotencyKey: req.idempotencyKey };
    if ((await fenceCheckout(deps.pool, fence)) === 'fenced') throw refusal;
    const decided = await findBooking(deps.pool, bookingId);
    if (!decided) throw refusal;
    return replay(req, decided, event);
  }
  return sameRequestOrThrow(req, presentBooking(state));
}

/** Seconds a buyer whose checkout timed out is told to wait: Temporal or the workers need a moment. */
const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

// Said at most once a minute: in a surge every refused buyer would say it again.
let overloadSaidAt = 0;
function sayOverloaded(err: unknown): void {
  if (Date.now() - overloadSaidAt < 60_000) return;
  overloadSaidAt = Date.now();
  const said: string[] = [];
  for (let current = err as Error | undefined; current && said.length < 4; current = current.cause as Error | undefined) said.push(current.message);
  console.warn(`[api] Temporal refused checkouts for load (answered 503 BUSY): ${said.join(' / ')}`);
}

/** The 503 a buyer gets when checkout gives up on Temporal: past the deadline, or refused for load. */
function giveUpAnswer(bookingId: string, err: unknown): AppError | undefined {
  if (err instanceof CheckoutDeadlinePassed) return temporalUnavailable(bookingId, UNAVAILABLE_RETRY_AFTER_SECONDS, err.cause);
  if (isTemporalOverloaded(err)) {
    sayOverloaded(err);
    return causedBy(busy(BUSY_RETRY_AFTER_SECONDS), err);
  }
  // Temporal unreachable after the client's own retries (UNAVAILABLE and the like).
  if (isGrpcServiceError(err) || isGrpcServiceError((err as { cause?: unknown })?.cause)) {
    return temporalUnavailable(bookingId, UNAVAILABLE_RETRY_AFTER_SECONDS, err);
  }
  return undefined;
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
  if (earlier.status === 'REJECTED' && earlier.rejectionReason === 'DEADLINE_PASSED') throw checkoutTimedOut(earlier.id);
  if (earlier.status === 'REJECTED' && earlier.rejectionReason === 'NOT_ENOUGH_SEATS') throw notEnoughSeats(req.pick);
  if (earlier.status === 'REJECTED') throw seatUnavailable(earlier.rejectedSeats ?? []);
  return booking;
}
