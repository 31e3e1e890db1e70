import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import { ErrorCode } from '../../domain/errorCodes';
import { businessFailure, useActivityFixture, eventState, holdRequest, newEvent } from './activityFixture';

describe('extendHold activity', () => {
  const { pool, activities } = useActivityFixture();

  const later = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString();
  // dbState shows timestamps in UTC to the microsecond, without a zone.
  const utcMicros = (iso: string) => iso.replace('Z', '000');

  test('run twice, it moves the expiry of the booking and its seats once; an older expiry never moves it back', async () => {
    const event = await newEvent(pool);
    const req = holdRequest(event.id, [1, 2]);
    await activities.holdSeats(req);
    const extended = later(req.expiresAt, 60);

    await activities.extendHold(req.bookingId, extended, 1);
    await activities.extendHold(req.bookingId, extended, 1);
    await activities.extendHold(req.bookingId, later(req.expiresAt, 30), 1);

    const afterAll = await eventState(pool, event.id);
    assert.deepEqual(afterAll.bookings.map((b) => [b.status, b.expiresAt]), [['HELD', utcMicros(extended)]]);
    assert.deepEqual(
      afterAll.seats.filter((s) => s.bookingId === req.bookingId).map((s) => [s.seatNumber, s.status, s.holdExpiresAt]),
      [
        [1, 'HELD', utcMicros(extended)],
        [2, 'HELD', utcMicros(extended)],
      ],
    );
    const { rows } = await pool.query<{ hold_extensions: number }>('SELECT hold_extensions FROM bookings WHERE id = $1', [req.bookingId]);
    assert.equal(rows[0].hold_extensions, 1);
  });

  test('on a hold the backstop released, it fails HOLD_EXPIRED (non-retryable) and changes nothing', async () => {
    const event = await newEvent(pool);
    const req = holdRequest(event.id, [3]);
    await activities.holdSeats(req);
    await activities.releaseHold(req.bookingId, 'EXPIRED');
    const released = await eventState(pool, event.id);

    await assert.rejects(activities.extendHold(req.bookingId, later(req.expiresAt, 60), 1), businessFailure(ErrorCode.HoldExpired));
    assert.deepEqual(await eventState(pool, event.id), released);
  });
});
