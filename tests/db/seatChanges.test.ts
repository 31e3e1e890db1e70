import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import { useTestPool } from '../support/testPool';
import { inTransaction } from '../../db/pool';
import { insertEventWithSeats } from '../../db/queries/events';
import { pruneSeatChanges, readSeatChangesSince, readSeatSnapshot, recordSeatChange } from '../../db/queries/seatChanges';

describe('seat-change outbox', () => {
  const pool = useTestPool(4);

  const newEvent = () =>
    insertEventWithSeats(pool, { name: 'outbox', totalSeats: 5, priceCents: 0, holdSeconds: 60, maxSeatsPerBooking: 5, startsAt: null });

  test('numbers committed changes consecutively per event; a rolled-back change takes no number', async () => {
    const event = await newEvent();
    await inTransaction(pool, (c) => recordSeatChange(c, event.id, [{ seat_id: 1, status: 'HELD' }]));
    await assert.rejects(
      inTransaction(pool, async (c) => {
        await recordSeatChange(c, event.id, [{ seat_id: 2, status: 'HELD' }]);
        throw new Error('roll back');
      }),
    );
    await inTransaction(pool, (c) => recordSeatChange(c, event.id, [{ seat_id: 3, status: 'HELD' }]));
    const changes = await readSeatChangesSince(pool, event.id, 0);
    assert.deepEqual(
      changes?.map((c) => [c.version, c.seats[0].seat_id]),
      [
        [1, 1],
        [2, 3],
      ],
    );
    assert.equal((await readSeatSnapshot(pool, event.id))?.version, 2);
  });

  test('answers undefined for a range whose oldest changes were pruned, so the client gets a snapshot', async () => {
    const event = await newEvent();
    for (const seat of [1, 2, 3]) {
      await inTransaction(pool, (c) => recordSeatChange(c, event.id, [{ seat_id: seat, status: 'HELD' }]));
    }
    await pool.query(
      `UPDATE seat_changes SET committed_at = now() - interval '2 hours' WHERE event_id = $1 AND version = 1`,
      [event.id],
    );
    assert.ok((await pruneSeatChanges(pool, 3600)) >= 1);
    assert.equal(await readSeatChangesSince(pool, event.id, 0), undefined);
    assert.deepEqual(
      (await readSeatChangesSince(pool, event.id, 1))?.map((c) => c.version),
      [2, 3],
    );
  });

  test('answers undefined to a client claiming a version the event never reached, so it gets a snapshot', async () => {
    const event = await newEvent();
    await inTransaction(pool, (c) => recordSeatChange(c, event.id, [{ seat_id: 1, status: 'HELD' }]));
    assert.deepEqual(await readSeatChangesSince(pool, event.id, 1), []);
    assert.equal(await readSeatChangesSince(pool, event.id, 7), undefined);
  });

  test('a change too large for a NOTIFY payload still commits', async () => {
    const event = await insertEventWithSeats(pool, {
      name: 'big',
      totalSeats: 1000,
      priceCents: 0,
      holdSeconds: 60,
      maxSeatsPerBooking: 10,
      startsAt: null,
    });
    const seats = Array.from({ length: 1000 }, (_, i) => ({ seat_id: i + 1, status: 'HELD' as const }));
    const version = await inTransaction(pool, (c) => recordSeatChange(c, event.id, seats));
    assert.equal(version, 1);
    assert.equal((await readSeatChangesSince(pool, event.id, 0))?.[0].seats.length, 1000);
  });
});
