import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import { useActivityFixture, eventState, holdRequest, newEvent } from './activityFixture';

describe('releaseHold activity', () => {
  const { pool, activities } = useActivityFixture();

  for (const finalStatus of ['EXPIRED', 'CANCELLED'] as const) {
    test(`run twice to ${finalStatus}, it frees the seats once and answers ${finalStatus} both times`, async () => {
      const event = await newEvent(pool);
      const req = holdRequest(event.id, [1, 2]);
      await activities.holdSeats(req);

      const first = await activities.releaseHold(req.bookingId, finalStatus);
      const afterFirst = await eventState(pool, event.id);
      const second = await activities.releaseHold(req.bookingId, finalStatus);

      assert.equal(first, finalStatus);
      assert.equal(second, first);
      assert.deepEqual(await eventState(pool, event.id), afterFirst);
      assert.deepEqual(afterFirst.bookings.map((b) => b.status), [finalStatus]);
      assert.ok(afterFirst.seats.every((s) => s.status === 'AVAILABLE' && s.bookingId === null && s.holdExpiresAt === null));
    });
  }

  test('run twice on a confirmed booking, it changes nothing and answers CONFIRMED', async () => {
    const event = await newEvent(pool, { priceCents: 0 });
    const req = holdRequest(event.id, [3]);
    await activities.holdSeats(req);
    await activities.confirmBooking(req.bookingId, null);
    const confirmed = await eventState(pool, event.id);

    assert.equal(await activities.releaseHold(req.bookingId, 'EXPIRED'), 'CONFIRMED');
    assert.equal(await activities.releaseHold(req.bookingId, 'EXPIRED'), 'CONFIRMED');
    assert.deepEqual(await eventState(pool, event.id), confirmed);
  });

  test('run again after another booking took the freed seats, it leaves that booking\'s hold alone', async () => {
    const event = await newEvent(pool);
    const first = holdRequest(event.id, [4, 5]);
    await activities.holdSeats(first);
    await activities.releaseHold(first.bookingId, 'EXPIRED');
    const next = holdRequest(event.id, [4, 5]);
    await activities.holdSeats(next);
    const heldByNext = await eventState(pool, event.id);

    assert.equal(await activities.releaseHold(first.bookingId, 'EXPIRED'), 'EXPIRED');
    assert.deepEqual(await eventState(pool, event.id), heldByNext);
    assert.deepEqual(
      heldByNext.seats.filter((s) => s.status === 'HELD').map((s) => [s.seatNumber, s.bookingId]),
      [
        [4, next.bookingId],
        [5, next.bookingId],
      ],
    );
  });
});
