import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import { ErrorCode } from '../../domain/errorCodes';
import { businessFailure, eventState, holdRequest, newEvent, paymentNotice, useActivityFixture } from './activityFixture';

describe('confirmBooking activity', () => {
  const { pool, activities } = useActivityFixture();

  const payment = paymentNotice;

  test('run twice with the same payment, it books the seats and applies the payment once', async () => {
    const event = await newEvent(pool, { priceCents: 1000 });
    const req = holdRequest(event.id, [1, 2]);
    await activities.holdSeats(req);
    const paid = payment(2000);

    const first = await activities.confirmBooking(req.bookingId, paid);
    const afterFirst = await eventState(pool, event.id);
    const second = await activities.confirmBooking(req.bookingId, paid);
    const afterSecond = await eventState(pool, event.id);

    assert.equal(first, undefined);
    assert.equal(second, first);
    assert.deepEqual(afterSecond, afterFirst);
    assert.deepEqual(afterSecond.bookings.map((b) => b.status), ['CONFIRMED']);
    assert.deepEqual(
      afterSecond.seats.filter((s) => s.bookingId === req.bookingId).map((s) => [s.seatNumber, s.status, s.holdExpiresAt]),
      [
        [1, 'BOOKED', null],
        [2, 'BOOKED', null],
      ],
    );
    assert.deepEqual(
      afterSecond.payments.map((p) => [p.paymentId, p.amountCents, p.disposition, p.providerEventId]),
      [[paid.paymentId, 2000, 'APPLIED', paid.providerEventId]],
    );
  });

  test('run twice for a free booking, it books the seats once and records no payment', async () => {
    const event = await newEvent(pool, { priceCents: 0 });
    const req = holdRequest(event.id, [3]);
    await activities.holdSeats(req);

    await activities.confirmBooking(req.bookingId, null);
    const afterFirst = await eventState(pool, event.id);
    await activities.confirmBooking(req.bookingId, null);

    assert.deepEqual(await eventState(pool, event.id), afterFirst);
    assert.deepEqual(afterFirst.bookings.map((b) => b.status), ['CONFIRMED']);
    assert.deepEqual(afterFirst.payments, []);
  });

  test('for a hold already released, it fails HOLD_EXPIRED (non-retryable) every time and changes nothing', async () => {
    const event = await newEvent(pool, { priceCents: 1000 });
    const req = holdRequest(event.id, [4]);
    await activities.holdSeats(req);
    await activities.releaseHold(req.bookingId, 'EXPIRED');
    const released = await eventState(pool, event.id);
    const late = payment(1000);

    await assert.rejects(activities.confirmBooking(req.bookingId, late), businessFailure(ErrorCode.HoldExpired));
    await assert.rejects(activities.confirmBooking(req.bookingId, late), businessFailure(ErrorCode.HoldExpired));
    assert.deepEqual(await eventState(pool, event.id), released);
  });
});
