import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  patched,
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
import { DEFAULT_HOLD_LIMITS } from '../domain/holdExtension';
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
import { closedFailure } from './bookingFailures';
import { installExtendHoldHandler } from './holdExtension';
import { describeRefunds, refundWithProgress } from './refunds';

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

// Workflows that started before late payments were refunded only recorded them as owed back: on
// replay they must not schedule a refund their history never had.
const REFUND_UNAPPLIED_PATCH = 'refund-unapplied-payments';
// A confirm's payment id was `token:<paymentToken>`, shared by every booking confirmed with the same
// token, so the second booking's payment row was never written: it is now scoped to the booking.
const TOKEN_PAYMENT_PER_BOOKING_PATCH = 'token-payment-per-booking';

const MAX_PAYMENT_TOKEN_LENGTH = 200;

/**
 * One booking: hold the seats, wait for payment, cancel or the hold timer (which follows the buyer's
 * extensions), then confirm or release. Money that cannot buy the booking (late, short, or a second
 * payment) is recorded as owed back and refunded, each refund retried until the provider answers.
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
    holdExtensions: 0,
    refunds: [],
    ...(input.pick?.area ? { area: input.pick.area } : {}),
  };
  let holdFailure: ApplicationFailure | undefined;
  let settled = false;
  let cancelRequested = false;
  // Set once the wait is over (paid, cancelled or timed out): from then on the hold cannot be extended.
  let deciding = false;
  const unapplied: PaymentNotice[] = [];
  const seenPaymentIds = new Set<string>();

  const holdKnown = () => state.status !== 'PENDING';
  const showDetails = () =>
    setCurrentDetails(
      `**${state.status}** · seats ${state.seatNumbers.join(', ')} · user ${state.userId}` +
        (state.status === 'HELD' && state.expiresAt ? ` · expires ${state.expiresAt}` : '') +
        describeRefunds(state.refunds),
    );
  const setStatus = (status: BookingStatus) => {
    state.status = status;
    upsertSearchAttributes([{ key: bookingStatusSearchAttribute, value: status }]);
    showDetails();
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
  // A failure says the buyer may try again while the hold lasts. Out of order (after this payment
  // succeeded) or after the booking settled, it changes nothing.
  setHandler(paymentFailedSignal, (failure) => {
    if (settled || seenPaymentIds.has(failure.paymentId)) return;
    state.lastPaymentFailure = failure.reason;
  });

  setHandler(
    confirmUpdate,
    async ({ paymentToken, receivedAt }) => {
      await condition(holdKnown);
      const paymentId = patched(TOKEN_PAYMENT_PER_BOOKING_PATCH)
        ? `token:${input.bookingId}:${paymentToken}`
        : `token:${paymentToken}`;
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

  // The buyer may move the expiry later, within the limits; the wait for payment follows it.
  const heldSince = new Date(Date.now()).toISOString();
  const extension = installExtendHoldHandler({
    bookingId: input.bookingId,
    state,
    heldSince,
    defaultSeconds: input.holdSeconds,
    limits: input.holdLimits ?? DEFAULT_HOLD_LIMITS,
    isOpen: () => !settled && !cancelRequested && !deciding,
    onExtended: showDetails,
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
      holdBy: input.holdBy === undefined ? null : new Date(input.holdBy).toISOString(),
      ...(input.pick ? { pick: input.pick } : {}),
    });
    // Best available and GA holds pick their seats; every hold reports where they are.
    if (hold.seatNumbers) state.seatNumbers = hold.seatNumbers;
    if (hold.seats) state.seats = hold.seats;
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
    deciding = true;
    await confirmOrExpire(null);
  } else {
    await waitForPaymentCancelOrExpiry();
    deciding = true;
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

  // 3. Anything else that was paid bought nothing: owed back, and refunded. Late signals may still
  // arrive until the workflow closes, so drain until the handlers are idle and nothing is left.
  do {
    for (let payment = unapplied.shift(); payment; payment = unapplied.shift()) {
      await recordOwedBack(input.bookingId, payment);
      state.owedBackPaymentIds.push(payment.paymentId);
      if (patched(REFUND_UNAPPLIED_PATCH)) {
        const order = { paymentId: payment.paymentId, bookingId: input.bookingId, amountCents: payment.amountCents };
        await refundWithProgress({ ...order, reason: 'UNAPPLIED' }, state.refunds, showDetails);
      }
    }
    await condition(allHandlersFinished);
  } while (unapplied.length > 0);
  return state;

  /** Until money is payable, a cancel is asked for, or the hold lapses (at its latest expiry). */
  async function waitForPaymentCancelOrExpiry(): Promise<void> {
    for (;;) {
      const expiresAt = state.expiresAt;
      const remainingMs = Math.max(0, Date.parse(expiresAt ?? '') - Date.now());
      await condition(() => payable() !== undefined || cancelRequested || state.expiresAt !== expiresAt, remainingMs);
      // An extension accepted before the expiry wins over the timer: let it finish moving the expiry.
      await condition(() => !extension.inProgress());
      if (payable() !== undefined || cancelRequested || state.expiresAt === expiresAt) return;
    }
  }

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
