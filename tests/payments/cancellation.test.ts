import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import type { BookingResponse } from '../../api/presenters/booking';
import { injectRefundFault } from '../../db/queries/simulatedPayments';
import type { EventRecord } from '../../domain/event';
import { cancellationStatusQuery } from '../../domain/messages';
import { refundStatusSearchAttribute } from '../../domain/searchAttributes';
import { cancellationWorkflowId } from '../../domain/taskQueue';
import type { cancellationWorkflow } from '../../workflows';
import { assertError } from '../api/assertions';
import { createEvent, holdSeats } from '../support/factories';
import { api } from '../support/http';
import { useTestStack } from '../support/stack';
import { bookingRow, seatsOf } from '../workflows/dbState';
import { newPaymentIntentId, payViaWebhook, waitForBookingStatus } from '../workflows/driveBooking';
import { cancellationOf, findRefund, seatChangesOf, simulatedRefundsOf, ticketStatuses } from './paymentState';

const HOUR_MS = 3_600_000;
const inHours = (hours: number) => new Date(Date.now() + hours * HOUR_MS).toISOString();

describe('POST /bookings/:id/cancel on a confirmed booking (the cancellation saga)', () => {
  const stack = useTestStack();

  const http = () => api(stack.baseUrl);
  const cancel = (bookingId: string) => http().post<BookingResponse>(`/bookings/${bookingId}/cancel`);
  const sagaOf = (bookingId: string) =>
    stack.temporal.workflow.getHandle<typeof cancellationWorkflow>(cancellationWorkflowId(bookingId));
  const seatStatuses = async (booking: BookingResponse) =>
    (await seatsOf(stack.pool, booking.eventId))
      .filter((s) => booking.seatNumbers.includes(s.seatNumber))
      .map((s) => [s.seatNumber, s.status, s.bookingId]);
  /** The activities the saga ran, in the order its history shows them. */
  async function sagaSteps(bookingId: string): Promise<string[]> {
    const { events } = await sagaOf(bookingId).fetchHistory();
    return (events ?? []).flatMap((e) => {
      const name = e.activityTaskScheduledEventAttributes?.activityType?.name;
      return name ? [name] : [];
    });
  }

  /** A paid, confirmed booking of a new event that starts in a week (cancellable until a day before). */
  async function paidBooking(
    seatNumbers: number[],
    eventOverrides: Record<string, unknown> = {},
  ): Promise<{ event: EventRecord; booking: BookingResponse; paymentIntentId: string }> {
    const event = await createEvent(stack.baseUrl, { priceCents: 1000, startsAt: inHours(24 * 7), ...eventOverrides });
    const booking = await holdSeats(stack.baseUrl, event.id, seatNumbers);
    const paymentIntentId = newPaymentIntentId();
    await payViaWebhook(stack, { bookingId: booking.id, amountCents: booking.amountCents ?? 0, paymentIntentId });
    await waitForBookingStatus(stack, booking.id, 'CONFIRMED');
    return { event, booking, paymentIntentId };
  }

  test('answers 200 CANCELLED: tickets voided, payment refunded once, seats available, each step in the history', async () => {
    const { event, booking, paymentIntentId } = await paidBooking([2, 5]);
    assert.deepEqual(await ticketStatuses(stack.pool, booking.id), ['VALID', 'VALID']);

    const res = await cancel(booking.id);

    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status, 'CANCELLED');
    assert.equal((await bookingRow(stack.pool, booking.id))?.status, 'CANCELLED');
    assert.deepEqual(await ticketStatuses(stack.pool, booking.id), ['VOIDED', 'VOIDED']);
    assert.deepEqual(await seatStatuses(booking), [
      [2, 'AVAILABLE', null],
      [5, 'AVAILABLE', null],
    ]);
    // Every seat change is recorded for the live seat map: held, sold, then given back.
    assert.deepEqual(await seatChangesOf(stack.pool, event.id, [2, 5]), [
      [2, 'HELD'], [5, 'HELD'],
      [2, 'BOOKED'], [5, 'BOOKED'],
      [2, 'AVAILABLE'], [5, 'AVAILABLE'],
    ]);
    const [refund] = await simulatedRefundsOf(stack.pool, paymentIntentId);
    assert.deepEqual(await simulatedRefundsOf(stack.pool, paymentIntentId), [{ refundId: refund.refundId, paymentId: paymentIntentId, amountCents: 2000 }]);
    const stored = await findRefund(stack.pool, paymentIntentId);
    assert.equal(stored?.reason, 'CANCELLATION');
    assert.equal(stored?.status, 'SUCCEEDED');

    // The booking as the buyer sees it shows the refund under the payment, and the cancellation.
    assert.equal(res.body.payments?.length, 1);
    assert.equal(res.body.payments?.[0]?.disposition, 'APPLIED');
    assert.equal(res.body.payments?.[0]?.refund?.refundId, refund.refundId);
    assert.equal(res.body.payments?.[0]?.refund?.status, 'SUCCEEDED');
    assert.equal(res.body.cancellation?.status, 'COMPLETED');

    assert.deepEqual(await sagaSteps(booking.id), ['beginCancellation', 'voidTickets', 'refundPayment', 'completeCancellation']);
    const saga = await sagaOf(booking.id).query(cancellationStatusQuery);
    assert.equal(saga.outcome, 'CANCELLED');
    assert.equal(saga.ticketsVoided, 2);
    assert.equal(saga.refund?.status, 'SUCCEEDED');
    assert.equal((await sagaOf(booking.id).describe()).typedSearchAttributes.get(refundStatusSearchAttribute), 'SUCCEEDED');

    // The seats can be sold again.
    assert.equal((await holdSeats(stack.baseUrl, event.id, [2, 5])).status, 'HELD');

    // Cancelling again answers the same and refunds nothing more.
    const again = await cancel(booking.id);
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal(again.body.status, 'CANCELLED');
    assert.equal((await simulatedRefundsOf(stack.pool, paymentIntentId)).length, 1);
  });

  test('five simultaneous cancels run one saga and refund once', async () => {
    const { booking, paymentIntentId } = await paidBooking([1]);
    const answers = await Promise.all(Array.from({ length: 5 }, () => cancel(booking.id)));
    for (const res of answers) {
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.status, 'CANCELLED');
    }
    assert.equal((await simulatedRefundsOf(stack.pool, paymentIntentId)).length, 1);
    assert.equal((await findRefund(stack.pool, paymentIntentId))?.attempts, 1);
    assert.deepEqual(await sagaSteps(booking.id), ['beginCancellation', 'voidTickets', 'refundPayment', 'completeCancellation']);
  });

  test('a refund that fails twice is retried within the saga and refunds once, its attempts recorded', async () => {
    const { booking, paymentIntentId } = await paidBooking([3]);
    await injectRefundFault(stack.pool, paymentIntentId, 'UNAVAILABLE', 2);

    const res = await cancel(booking.id);

    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status, 'CANCELLED');
    assert.equal(res.body.payments?.[0]?.refund?.attempts, 3);
    assert.equal(res.body.payments?.[0]?.refund?.status, 'SUCCEEDED');
    assert.equal((await simulatedRefundsOf(stack.pool, paymentIntentId)).length, 1);
    assert.deepEqual(await sagaSteps(booking.id), ['beginCancellation', 'voidTickets', 'refundPayment', 'completeCancellation']);
  });

  test('a refund the provider refuses is compensated: 409 REFUND_REFUSED, tickets valid again, booking still CONFIRMED', async () => {
    const { booking, paymentIntentId } = await paidBooking([4, 6]);
    await injectRefundFault(stack.pool, paymentIntentId, 'REFUSED', 1);

    const res = await cancel(booking.id);

    assertError(res, 409, 'REFUND_REFUSED');
    assert.equal((await bookingRow(stack.pool, booking.id))?.status, 'CONFIRMED');
    assert.deepEqual(await ticketStatuses(stack.pool, booking.id), ['VALID', 'VALID']);
    assert.deepEqual(await seatStatuses(booking), [
      [4, 'BOOKED', booking.id],
      [6, 'BOOKED', booking.id],
    ]);
    assert.deepEqual(await simulatedRefundsOf(stack.pool, paymentIntentId), []);
    const cancellation = await cancellationOf(stack.pool, booking.id);
    assert.equal(cancellation?.status, 'COMPENSATED');
    assert.match(cancellation?.reason ?? '', /refund refused/);
    assert.deepEqual(await sagaSteps(booking.id), ['beginCancellation', 'voidTickets', 'refundPayment', 'compensateCancellation']);
    assert.equal((await sagaOf(booking.id).result()).outcome, 'COMPENSATED');

    const shown = (await http().get<BookingResponse>(`/bookings/${booking.id}`)).body;
    assert.equal(shown.status, 'CONFIRMED');
    assert.equal(shown.cancellation?.status, 'COMPENSATED');
    assert.equal(shown.payments?.[0]?.refund?.status, 'FAILED');

    // Asked again once the provider agrees, a new saga cancels it, refunding once.
    const retried = await cancel(booking.id);
    assert.equal(retried.status, 200, JSON.stringify(retried.body));
    assert.equal(retried.body.status, 'CANCELLED');
    assert.equal((await simulatedRefundsOf(stack.pool, paymentIntentId)).length, 1);
    assert.deepEqual(await ticketStatuses(stack.pool, booking.id), ['VOIDED', 'VOIDED']);
  });

  test('a free booking is cancelled without a refund', async () => {
    const event = await createEvent(stack.baseUrl, { priceCents: 0, startsAt: inHours(48) });
    const booking = await holdSeats(stack.baseUrl, event.id, [1]);
    await waitForBookingStatus(stack, booking.id, 'CONFIRMED');

    const res = await cancel(booking.id);

    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status, 'CANCELLED');
    assert.deepEqual(res.body.payments, []);
    assert.deepEqual(await ticketStatuses(stack.pool, booking.id), ['VOIDED']);
    assert.deepEqual(await seatStatuses(booking), [[1, 'AVAILABLE', null]]);
    assert.deepEqual(await sagaSteps(booking.id), ['beginCancellation', 'voidTickets', 'completeCancellation']);
  });

  test('answers 409 CANCELLATION_CLOSED after the cutoff, with the deadline, and changes nothing', async () => {
    // Starts in 2 hours; the default cutoff is 24 hours before the start.
    const { booking, paymentIntentId } = await paidBooking([7], { startsAt: inHours(2) });

    const res = await cancel(booking.id);

    const body = assertError(res, 409, 'CANCELLATION_CLOSED');
    assert.ok(typeof (body.details as { deadline?: string } | undefined)?.deadline === 'string');
    assert.equal((await bookingRow(stack.pool, booking.id))?.status, 'CONFIRMED');
    assert.deepEqual(await ticketStatuses(stack.pool, booking.id), ['VALID']);
    assert.deepEqual(await seatStatuses(booking), [[7, 'BOOKED', booking.id]]);
    assert.equal(await findRefund(stack.pool, paymentIntentId), undefined);
    await assert.rejects(sagaOf(booking.id).describe());
  });

  test("follows the event's own cutoff: 1 hour before a start 2 hours away is still open", async () => {
    const { event, booking } = await paidBooking([8], { startsAt: inHours(2), cancellationCutoffHours: 1 });
    assert.equal(event.cancellationCutoffHours, 1);
    const res = await cancel(booking.id);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status, 'CANCELLED');
  });

  test('answers 409 NOT_CANCELLABLE for an expired booking, as before', async () => {
    const event = await createEvent(stack.baseUrl, { priceCents: 300, holdSeconds: 1 });
    const booking = await holdSeats(stack.baseUrl, event.id, [9]);
    await waitForBookingStatus(stack, booking.id, 'EXPIRED');
    assertError(await cancel(booking.id), 409, 'NOT_CANCELLABLE');
  });
});

describe('POST /events cancellationCutoffHours', () => {
  const stack = useTestStack({ worker: false });

  test('defaults to 24 hours and accepts 0 or more; negative answers 400', async () => {
    assert.equal((await createEvent(stack.baseUrl)).cancellationCutoffHours, 24);
    const custom = await createEvent(stack.baseUrl, { cancellationCutoffHours: 0 });
    assert.equal(custom.cancellationCutoffHours, 0);
    assert.equal((await api(stack.baseUrl).get<EventRecord>(`/events/${custom.id}`)).body.cancellationCutoffHours, 0);
    assertError(
      await api(stack.baseUrl).post('/events', { name: 'x', totalSeats: 1, cancellationCutoffHours: -1 }),
      400,
      'VALIDATION_FAILED',
    );
  });
});
