import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { BookingState, BookingWorkflowInput, PaymentNotice } from '../domain/booking';
import { ErrorCode, NON_RETRYABLE_FAILURES } from '../domain/errorCodes';
import { findApplicationFailure } from '../domain/failures';
import {
  cancelUpdate,
  confirmUpdate,
  holdUpdate,
  paymentFailedSignal,
  paymentSucceededSignal,
  statusQuery,
} from '../domain/messages';
import { bookingStatusSearchAttribute } from '../domain/searchAttributes';
import type { BookingStatus } from '../domain/statuses';

const retry = {
  initialInterval: '200 ms',
  maximumInterval: '10 seconds',
  nonRetryableErrorTypes: NON_RETRYABLE_FAILURES,
};

// The hold is a short, idempotent transaction that the buyer is waiting on: as a local activity it
// runs inside the workflow task, saving two server round trips before checkout can answer.
const { holdSeats } = proxyLocalActivities<Activities>({ startToCloseTimeout: '10 seconds', retry });
const { confirmBooking, releaseHold, recordOwedBack } = proxyActivities<Activities>({
  startToCloseTimeout: '15 seconds',
  retry,
});

const MAX_PAYMENT_TOKEN_LENGTH = 200;

/**
 * One booking: hold the seats, wait for payment, cancel or the hold timer, then confirm or release.
 * Money that cannot buy the booking (late, short, or a second payment) is recorded as owed back.
 */
export async function bookingWorkflow(input: BookingWorkflowInput): Promise<BookingState> {
  const state: BookingState = {
    id: input.bookingId,
    workflowId: workflowInfo().workflowId,
    status: 'PENDING',
    eventId: input.eventId,
    userId: input.userId,
    seatNumbers: input.seatNumbers,
    amountCents: null,
    expiresAt: null,
    appliedPaymentId: null,
    owedBackPaymentIds: [],
    lastPaymentFailure: null,
  };
  let holdFailure: ApplicationFailure | undefined;
  let settled = false;
  let cancelRequested = false;
  const unapplied: PaymentNotice[] = [];
  const seenPaymentIds = new Set<string>();

  const holdKnown = () => state.status !== 'PENDING';
  const setStatus = (status: BookingStatus) => {
    state.status = status;
    upsertSearchAttributes([{ key: bookingStatusSearchAttribute, value: status }]);
    setCurrentDetails(
      `**${status}** · seats ${state.seatNumbers.join(', ')} · user ${state.userId}` +
        (status === 'HELD' && state.expiresAt ? ` · expires ${state.expiresAt}` : ''),
    );
  };
  // A provider may deliver the same payment twice: the payment id makes the second one a no-op.
  const receivePayment = (payment: PaymentNotice) => {
    if (seenPaymentIds.has(payment.paymentId)) return;
    seenPaymentIds.add(payment.paymentId);
    unapplied.push(payment);
  };
  // Enough money, received while the hold was live.
  const payable = () =>
    unapplied.find(
      (p) =>
        state.amountCents !== null &&
        p.amountCents >= state.amountCents &&
        Date.parse(p.receivedAt) < Date.parse(state.expiresAt ?? ''),
    );

  setHandler(statusQuery, () => state);

  setHandler(holdUpdate, async () => {
    await condition(holdKnown);
    if (holdFailure) throw holdFailure;
    if (input.confirmOnHold) await condition(() => settled);
    return state;
  });

  setHandler(paymentSucceededSignal, receivePayment);
  setHandler(paymentFailedSignal, (failure) => {
    state.lastPaymentFailure = failure.reason;
  });

  setHandler(
    confirmUpdate,
    async ({ paymentToken, receivedAt }) => {
      await condition(holdKnown);
      const paymentId = `token:${paymentToken}`;
      receivePayment({ paymentId, amountCents: state.amountCents ?? 0, source: 'confirm', receivedAt });
      await condition(() => settled);
      if (state.status === 'CONFIRMED') return state;
      throw closedFailure(state.status);
    },
    {
      validator: ({ paymentToken, receivedAt }) => {
        if (typeof paymentToken !== 'string' || paymentToken.length === 0 || paymentToken.length > MAX_PAYMENT_TOKEN_LENGTH) {
          throw new Error(`paymentToken must be a string of 1 to ${MAX_PAYMENT_TOKEN_LENGTH} characters`);
        }
        if (typeof receivedAt !== 'string' || Number.isNaN(Date.parse(receivedAt))) {
          throw new Error('receivedAt must be an ISO timestamp');
        }
        if (settled && state.status !== 'CONFIRMED') throw closedFailure(state.status);
      },
    },
  );

  setHandler(cancelUpdate, async () => {
    await condition(holdKnown);
    if (!settled) cancelRequested = true;
    await condition(() => settled);
    if (state.status === 'CANCELLED') return state;
    throw ApplicationFailure.create({
      type: ErrorCode.NotCancellable,
      message: `Booking is ${state.status} and cannot be cancelled`,
      nonRetryable: true,
    });
  });

  // 1. Hold, all or nothing. The expiry is fixed here so the database and the timer agree on it.
  try {
    const hold = await holdSeats({
      bookingId: input.bookingId,
      eventId: input.eventId,
      userId: input.userId,
      seatNumbers: input.seatNumbers,
      expiresAt: new Date(Date.now() + input.holdSeconds * 1000).toISOString(),
      idempotencyKey: input.idempotencyKey,
    });
    state.amountCents = hold.amountCents;
    state.expiresAt = hold.expiresAt;
    setStatus('HELD');
  } catch (err) {
    const cause = findApplicationFailure(err);
    if (!cause) throw err;
    holdFailure = ApplicationFailure.create({
      type: cause.type ?? ErrorCode.SeatUnavailable,
      message: cause.message,
      details: cause.details ? [...cause.details] : undefined,
      nonRetryable: true,
    });
    settled = true;
    setStatus('REJECTED');
    await condition(allHandlersFinished);
    return state;
  }

  // 2. Wait for whichever comes first: enough money, a cancel, or the hold timer.
  if (input.confirmOnHold || state.amountCents === 0) {
    await confirmOrExpire(null);
  } else {
    const remainingMs = Math.max(0, Date.parse(state.expiresAt ?? '') - Date.now());
    await condition(() => payable() !== undefined || cancelRequested, remainingMs);
    // A payment received in time is applied even if the timer fired before a worker saw it (say no
    // worker ran); one received after expiry never is, however early a worker sees it.
    const payment = payable();
    if (payment) {
      unapplied.splice(unapplied.indexOf(payment), 1);
      await confirmOrExpire(payment);
    } else {
      const status = await releaseHold(input.bookingId, cancelRequested ? 'CANCELLED' : 'EXPIRED');
      setStatus(status ?? (cancelRequested ? 'CANCELLED' : 'EXPIRED'));
    }
  }
  settled = true;

  // 3. Anything else that was paid bought nothing: owed back. Late signals may still arrive until
  // the workflow closes, so drain until the handlers are idle and nothing is left.
  do {
    for (let payment = unapplied.shift(); payment; payment = unapplied.shift()) {
      await recordOwedBack(input.bookingId, payment);
      state.owedBackPaymentIds.push(payment.paymentId);
    }
    await condition(allHandlersFinished);
  } while (unapplied.length > 0);
  return state;

  async function confirmOrExpire(payment: PaymentNotice | null): Promise<void> {
    try {
      await confirmBooking(input.bookingId, payment);
      state.appliedPaymentId = payment?.paymentId ?? null;
      setStatus('CONFIRMED');
    } catch (err) {
      // The database backstop released this hold first; the payment, if any, is owed back.
      if (findApplicationFailure(err)?.type !== ErrorCode.HoldExpired) throw err;
      if (payment) unapplied.push(payment);
      setStatus('EXPIRED');
    }
  }
}

function closedFailure(status: BookingStatus): ApplicationFailure {
  const expired = status === 'EXPIRED';
  return ApplicationFailure.create({
    type: expired ? ErrorCode.HoldExpired : ErrorCode.BookingClosed,
    message: expired ? 'The hold expired before payment arrived' : `Booking is ${status}`,
    nonRetryable: true,
  });
}
