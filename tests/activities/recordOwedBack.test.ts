import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import { eventState, holdRequest, newEvent, paymentNotice, useActivityFixture } from './activityFixture';

describe('recordOwedBack activity', () => {
  const { pool, activities } = useActivityFixture();

  const payment = paymentNotice;

  test('run twice with the same payment, it records one OWED_BACK row and answers the same', async () => {
    const event = await newEvent(pool, { priceCents: 1000 });
    const req = holdRequest(event.id, [1]);
    await activities.holdSeats(req);
    await activities.releaseHold(req.bookingId, 'EXPIRED');
    const late = payment(1000);

    const first = await activities.recordOwedBack(req.bookingId, late);
    const afterFirst = await eventState(pool, event.id);
    const second = await activities.recordOwedBack(req.bookingId, late);

    assert.equal(first, undefined);
    assert.equal(second, first);
    assert.deepEqual(await eventState(pool, event.id), afterFirst);
    assert.deepEqual(
      afterFirst.payments.map((p) => [p.paymentId, p.bookingId, p.amountCents, p.disposition, p.providerEventId]),
      [[late.paymentId, req.bookingId, 1000, 'OWED_BACK', late.providerEventId]],
    );
    assert.deepEqual(afterFirst.bookings.map((b) => b.status), ['EXPIRED']);
  });

  test('run for a payment already applied to the booking, it leaves that payment applied', async () => {
    const event = await newEvent(pool, { priceCents: 1000 });
    const req = holdRequest(event.id, [2]);
    await activities.holdSeats(req);
    const paid = payment(1000);
    await activities.confirmBooking(req.bookingId, paid);
    const confirmed = await eventState(pool, event.id);

    await activities.recordOwedBack(req.bookingId, paid);
    await activities.recordOwedBack(req.bookingId, paid);

    assert.deepEqual(await eventState(pool, event.id), confirmed);
    assert.deepEqual(confirmed.payments.map((p) => [p.paymentId, p.disposition]), [[paid.paymentId, 'APPLIED']]);
  });
});
