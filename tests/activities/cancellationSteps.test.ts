import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import { ErrorCode } from '../../domain/errorCodes';
import { seatChangesOf, ticketStatuses } from '../payments/paymentState';
import { businessFailure, useActivityFixture, eventState, holdRequest, newEvent } from './activityFixture';

describe('cancellation saga activities', () => {
  const { pool, activities } = useActivityFixture();

  async function confirmed(seatNumbers: number[]) {
    const event = await newEvent(pool, { priceCents: 1000 });
    const req = holdRequest(event.id, seatNumbers);
    await activities.holdSeats(req);
    const paymentId = `pi_${randomUUID().replace(/-/g, '')}`;
    await activities.confirmBooking(req.bookingId, {
      paymentId,
      amountCents: 1000 * seatNumbers.length,
      source: 'webhook',
      receivedAt: new Date().toISOString(),
    });
    return { event, bookingId: req.bookingId, paymentId };
  }

  test('beginCancellation answers the applied payment of a confirmed booking, and NOT_CANCELLABLE for a hold', async () => {
    const { bookingId, paymentId } = await confirmed([1]);
    assert.deepEqual(await activities.beginCancellation(bookingId), {
      alreadyCancelled: false,
      payment: { paymentId, amountCents: 1000 },
    });

    const event = await newEvent(pool);
    const held = holdRequest(event.id, [2]);
    await activities.holdSeats(held);
    await assert.rejects(activities.beginCancellation(held.bookingId), businessFailure(ErrorCode.NotCancellable));
  });

  test('voidTickets and completeCancellation, run twice, void the tickets and release the seats once', async () => {
    const { event, bookingId } = await confirmed([3, 4]);
    await activities.beginCancellation(bookingId);

    assert.equal(await activities.voidTickets(bookingId), 2);
    assert.equal(await activities.voidTickets(bookingId), 0);
    await activities.completeCancellation(bookingId);
    const afterFirst = await eventState(pool, event.id);
    await activities.completeCancellation(bookingId);

    assert.deepEqual(await eventState(pool, event.id), afterFirst);
    assert.deepEqual(afterFirst.bookings.map((b) => b.status), ['CANCELLED']);
    assert.ok(afterFirst.seats.every((s) => s.status === 'AVAILABLE' && s.bookingId === null));
    assert.deepEqual(await ticketStatuses(pool, bookingId), ['VOIDED', 'VOIDED']);
    assert.deepEqual(await seatChangesOf(pool, event.id, [3, 4]), [
      [3, 'HELD'], [4, 'HELD'],
      [3, 'BOOKED'], [4, 'BOOKED'],
      [3, 'AVAILABLE'], [4, 'AVAILABLE'],
    ]);
    assert.deepEqual(await activities.beginCancellation(bookingId), { alreadyCancelled: true, payment: null });
  });

  test('compensateCancellation restores the voided tickets once and keeps the booking CONFIRMED', async () => {
    const { event, bookingId } = await confirmed([5]);
    await activities.beginCancellation(bookingId);
    await activities.voidTickets(bookingId);

    assert.equal(await activities.compensateCancellation(bookingId, 'refund refused: test'), 1);
    assert.equal(await activities.compensateCancellation(bookingId, 'refund refused: test'), 0);

    assert.deepEqual(await ticketStatuses(pool, bookingId), ['VALID']);
    const state = await eventState(pool, event.id);
    assert.deepEqual(state.bookings.map((b) => b.status), ['CONFIRMED']);
    assert.deepEqual(state.seats.filter((s) => s.bookingId === bookingId).map((s) => s.status), ['BOOKED']);
  });
});
