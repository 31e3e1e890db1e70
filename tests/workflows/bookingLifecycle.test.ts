import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import type { BookingResponse } from '../../api/presenters/booking';
import type { EventRecord } from '../../domain/event';
import type { bookingWorkflow } from '../../workflows';
import { api } from '../support/http';
import { createEvent, holdSeats } from '../support/factories';
import { useTestStack } from '../support/stack';
import { availableSeatCount, bookingRow, paymentsOf, seatsOf } from './dbState';
import { newPaymentIntentId, payViaWebhook, waitForBookingStatus } from './driveBooking';

describe('booking workflow lifecycle', () => {
  const stack = useTestStack();

  const workflowResult = (booking: BookingResponse) =>
    stack.temporal.workflow.getHandle<typeof bookingWorkflow>(booking.workflowId).result();
  const seatStatuses = async (eventId: string, seatNumbers: number[]) =>
    (await seatsOf(stack.pool, eventId)).filter((s) => seatNumbers.includes(s.seatNumber));

  describe('hold then payment', () => {
    test('a payment webhook confirms the booking, books its seats and applies the payment once', async () => {
      const event = await createEvent(stack.baseUrl, { priceCents: 1500 });
      const booking = await holdSeats(stack.baseUrl, event.id, [1, 2]);
      assert.equal(booking.status, 'HELD');
      assert.equal(booking.amountCents, 3000);

      const paymentIntentId = newPaymentIntentId();
      await payViaWebhook(stack, { bookingId: booking.id, amountCents: 3000, paymentIntentId });

      await waitForBookingStatus(stack, booking.id, 'CONFIRMED');
      const seats = await seatStatuses(event.id, [1, 2]);
      assert.deepEqual(
        seats.map((s) => [s.seatNumber, s.status, s.bookingId, s.holdExpiresAt]),
        [
          [1, 'BOOKED', booking.id, null],
          [2, 'BOOKED', booking.id, null],
        ],
      );
      assert.equal(await availableSeatCount(stack.pool, event.id), event.totalSeats - 2);
      assert.deepEqual(
        (await paymentsOf(stack.pool, booking.id)).map((p) => [p.paymentId, p.amountCents, p.disposition]),
        [[paymentIntentId, 3000, 'APPLIED']],
      );
      const result = await workflowResult(booking);
      assert.equal(result.status, 'CONFIRMED');
      assert.equal(result.appliedPaymentId, paymentIntentId);
      assert.deepEqual(result.owedBackPaymentIds, []);
    });

    test('the confirm endpoint answers 200 CONFIRMED and records exactly one applied payment', async () => {
      const event = await createEvent(stack.baseUrl, { priceCents: 4000 });
      const booking = await holdSeats(stack.baseUrl, event.id, [5]);
      const paymentToken = `tok_${randomUUID()}`;

      const res = await api(stack.baseUrl).post<BookingResponse>(`/bookings/${booking.id}/confirm`, { paymentToken });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.status, 'CONFIRMED');

      // Confirming again is a no-op: same answer, still one payment.
      const again = await api(stack.baseUrl).post<BookingResponse>(`/bookings/${booking.id}/confirm`, { paymentToken });
      assert.equal(again.status, 200, JSON.stringify(again.body));
      assert.equal(again.body.status, 'CONFIRMED');

      assert.equal((await bookingRow(stack.pool, booking.id))?.status, 'CONFIRMED');
      assert.deepEqual(
        (await seatStatuses(event.id, [5])).map((s) => [s.status, s.bookingId]),
        [['BOOKED', booking.id]],
      );
      assert.deepEqual(
        (await paymentsOf(stack.pool, booking.id)).map((p) => [p.paymentId, p.amountCents, p.disposition]),
        [[`token:${booking.id}:${paymentToken}`, 4000, 'APPLIED']],
      );
      assert.equal((await workflowResult(booking)).status, 'CONFIRMED');
    });
  });

  describe('hold then timer', () => {
    test('a hold with no payment expires when the hold timer fires and its seats are released', async () => {
      const event = await createEvent(stack.baseUrl, { holdSeconds: 2 });
      const booking = await holdSeats(stack.baseUrl, event.id, [3, 4]);

      await waitForBookingStatus(stack, booking.id, 'EXPIRED');
      assert.deepEqual(
        (await seatStatuses(event.id, [3, 4])).map((s) => [s.status, s.bookingId, s.holdExpiresAt]),
        [
          ['AVAILABLE', null, null],
          ['AVAILABLE', null, null],
        ],
      );
      const afterExpiry = (await api(stack.baseUrl).get<EventRecord>(`/events/${event.id}`)).body;
      assert.equal(afterExpiry.availableSeats, event.totalSeats);
      assert.deepEqual(await paymentsOf(stack.pool, booking.id), []);
      assert.equal((await workflowResult(booking)).status, 'EXPIRED');
    });
  });

  describe('hold then cancel', () => {
    test('cancel answers CANCELLED and the seats are available as soon as it answers', async () => {
      const event = await createEvent(stack.baseUrl);
      const booking = await holdSeats(stack.baseUrl, event.id, [6, 7]);

      const res = await api(stack.baseUrl).post<BookingResponse>(`/bookings/${booking.id}/cancel`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.status, 'CANCELLED');

      // No polling: the release is done before the API answers.
      assert.equal((await bookingRow(stack.pool, booking.id))?.status, 'CANCELLED');
      assert.deepEqual(
        (await seatStatuses(event.id, [6, 7])).map((s) => [s.status, s.bookingId]),
        [
          ['AVAILABLE', null],
          ['AVAILABLE', null],
        ],
      );
      assert.equal(await availableSeatCount(stack.pool, event.id), event.totalSeats);
      assert.equal((await workflowResult(booking)).status, 'CANCELLED');

      // The released seats can be held again at once.
      const next = await holdSeats(stack.baseUrl, event.id, [6, 7]);
      assert.equal(next.status, 'HELD');
    });
  });

  describe('free events', () => {
    test('a booking for a free event confirms right after the hold, with no payment', async () => {
      const event = await createEvent(stack.baseUrl, { priceCents: 0 });
      const booking = await holdSeats(stack.baseUrl, event.id, [8]);
      assert.equal(booking.amountCents, 0);

      const result = await workflowResult(booking);
      assert.equal(result.status, 'CONFIRMED');
      assert.equal(result.appliedPaymentId, null);
      assert.equal((await bookingRow(stack.pool, booking.id))?.status, 'CONFIRMED');
      assert.deepEqual(
        (await seatStatuses(event.id, [8])).map((s) => [s.status, s.bookingId]),
        [['BOOKED', booking.id]],
      );
      assert.deepEqual(await paymentsOf(stack.pool, booking.id), []);
    });
  });
});
