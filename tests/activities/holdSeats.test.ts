import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import { ErrorCode } from '../../domain/errorCodes';
import { businessFailure, useActivityFixture, eventState, holdRequest, newEvent } from './activityFixture';

describe('holdSeats activity', () => {
  const { pool, activities } = useActivityFixture();

  test('run twice with the same input, it holds the seats once and answers the same', async () => {
    const event = await newEvent(pool, { priceCents: 1000 });
    const req = holdRequest(event.id, [1, 2]);

    const first = await activities.holdSeats(req);
    const afterFirst = await eventState(pool, event.id);
    const second = await activities.holdSeats(req);
    const afterSecond = await eventState(pool, event.id);

    assert.deepEqual(first, { bookingId: req.bookingId, amountCents: 2000, expiresAt: req.expiresAt });
    assert.deepEqual(second, first);
    assert.deepEqual(afterSecond, afterFirst);
    assert.deepEqual(
      afterSecond.seats.filter((s) => s.status === 'HELD').map((s) => [s.seatNumber, s.bookingId]),
      [
        [1, req.bookingId],
        [2, req.bookingId],
      ],
    );
    assert.deepEqual(
      afterSecond.bookings.map((b) => [b.id, b.status]),
      [[req.bookingId, 'HELD']],
    );
  });

  test('a seat already taken is refused with a non-retryable SEAT_UNAVAILABLE naming it, and nothing is held', async () => {
    const event = await newEvent(pool);
    const taker = holdRequest(event.id, [2]);
    await activities.holdSeats(taker);
    const before = await eventState(pool, event.id);

    const req = holdRequest(event.id, [1, 2, 3]);
    await assert.rejects(activities.holdSeats(req), businessFailure(ErrorCode.SeatUnavailable, [{ seats: [2] }]));

    const afterRefusal = await eventState(pool, event.id);
    assert.deepEqual(afterRefusal.seats, before.seats, 'seats changed although the hold was refused');
    assert.deepEqual(
      afterRefusal.bookings.find((b) => b.id === req.bookingId)?.rejectedSeats,
      [2],
    );
  });

  test('a refused hold run again answers the same refusal, even after the seat was freed', async () => {
    const event = await newEvent(pool);
    const taker = holdRequest(event.id, [2]);
    await activities.holdSeats(taker);
    const req = holdRequest(event.id, [1, 2]);
    const refusal = businessFailure(ErrorCode.SeatUnavailable, [{ seats: [2] }]);
    await assert.rejects(activities.holdSeats(req), refusal);
    const afterFirst = await eventState(pool, event.id);
    await assert.rejects(activities.holdSeats(req), refusal);
    assert.deepEqual(await eventState(pool, event.id), afterFirst);

    await activities.releaseHold(taker.bookingId, 'CANCELLED');
    const freed = await eventState(pool, event.id);
    assert.ok(freed.seats.every((s) => s.status === 'AVAILABLE'));

    // The retry of the refused hold must not take the seat now: the buyer was already told no.
    await assert.rejects(activities.holdSeats(req), refusal);
    assert.deepEqual(await eventState(pool, event.id), freed);
  });

  test('run again after its booking was released, it fails HOLD_EXPIRED and takes no seat', async () => {
    const event = await newEvent(pool);
    const req = holdRequest(event.id, [4]);
    await activities.holdSeats(req);
    await activities.releaseHold(req.bookingId, 'EXPIRED');
    const released = await eventState(pool, event.id);

    await assert.rejects(activities.holdSeats(req), businessFailure(ErrorCode.HoldExpired));
    assert.deepEqual(await eventState(pool, event.id), released);
  });
});
