import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import { afterThisTest, diagnostic } from '../support/testHooks';
import type { BookingResponse } from '../../api/presenters/booking';
import { burst, statusCounts } from '../concurrency/burst';
import { createEvent, holdSeats } from '../support/factories';
import { api } from '../support/http';
import { SeatMapClient } from '../support/seatMapClient';
import { useTestStack } from '../support/stack';
import {
  assertSameSeats,
  databaseSeats,
  databaseVersion,
  lcg,
  oneOrTwoSeats,
  range,
  seatChangeCount,
} from './seatMapDb';

const stack = useTestStack();
const connect = async () => {
  const client = await SeatMapClient.connect(stack.baseUrl);
  afterThisTest(() => client.close());
  return client;
};

describe('Socket.IO seat map during 200 concurrent bookings', () => {
  test('a subscribed client receives every version once, in order, and ends equal to the database', async () => {
    const capacity = 300;
    const event = await createEvent(stack.baseUrl, { totalSeats: capacity, holdSeconds: 600, maxSeatsPerBooking: 2 });
    const client = await connect();
    client.subscribe(event.id);
    const snapshot = await client.waitFor(() => client.snapshots(event.id)[0], 'the first snapshot');
    assert.equal(snapshot.version, 0);
    assert.equal(snapshot.seats.length, capacity);
    assert.ok(snapshot.seats.every((s) => s.status === 'AVAILABLE'));

    // 180 buyers want 1 or 2 random seats; the last 20 want exactly what the first 20 want, so some must lose.
    const random = lcg(3_2026_1121);
    const wanted = Array.from({ length: 180 }, () => oneOrTwoSeats(random, capacity));
    for (let i = 0; i < 20; i++) wanted.push(wanted[i]);
    // Some winners outside the contested pairs pay or cancel at once, so confirms and releases interleave with holds.
    const settleOf = (i: number) => (i >= 20 && i < 180 ? (i % 10 === 3 ? 'confirm' : i % 10 === 7 ? 'cancel' : undefined) : undefined);

    const results = await burst(wanted.length, async (i) => {
      const hold = await api(stack.baseUrl).post<BookingResponse>('/bookings', {
        eventId: event.id,
        userId: `burst-${i}`,
        seatNumbers: wanted[i],
      });
      const action = hold.status === 201 ? settleOf(i) : undefined;
      if (!action) return { hold: hold.status, settle: undefined };
      const settled =
        action === 'confirm'
          ? await api(stack.baseUrl).post(`/bookings/${hold.body.id}/confirm`, { paymentToken: 'tok_visa' })
          : await api(stack.baseUrl).post(`/bookings/${hold.body.id}/cancel`);
      assert.equal(settled.status, 200, `${action} of booking ${i} answered ${settled.status}: ${JSON.stringify(settled.body)}`);
      return { hold: hold.status, settle: action };
    });
    const counts = statusCounts(results.map((r) => r.hold));
    diagnostic(`holds: ${JSON.stringify(counts)}`);
    assert.deepEqual(Object.keys(counts).sort(), ['201', '409'], 'holds answer 201 or 409, and both happen');
    assert.ok(counts[409] >= 20, 'each contested pair has at most one winner');

    const held = counts[201];
    const settled = results.filter((r) => r.settle !== undefined).length;
    const finalVersion = await databaseVersion(stack.pool, event.id);
    assert.equal(finalVersion, held + settled, 'one version per successful hold, confirm and cancel');
    assert.equal(await seatChangeCount(stack.pool, event.id), held + settled, 'refused holds wrote no seat change');
    const rejected = await stack.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM bookings WHERE event_id = $1 AND status = 'REJECTED'`,
      [event.id],
    );
    assert.equal(Number(rejected.rows[0].n), counts[409], 'every 409 is a REJECTED booking');

    await client.waitForVersion(event.id, finalVersion);
    const versions = client.updates(event.id).map((u) => u.version);
    assert.deepEqual(versions, range(1, finalVersion), 'every version once, in increasing order');
    assert.equal(client.snapshots(event.id).length, 1);
    assert.deepEqual(client.errors(), []);
    assert.equal(client.resyncs, 0, 'no gap was ever seen');

    // Each update carries exactly the committed change of its version.
    const outbox = await stack.pool.query<{ version: string; seats: unknown }>(
      'SELECT version, seats FROM seat_changes WHERE event_id = $1 ORDER BY version',
      [event.id],
    );
    assert.deepEqual(
      client.updates(event.id).map((u) => ({ version: u.version, seats: u.seats })),
      outbox.rows.map((r) => ({ version: Number(r.version), seats: r.seats })),
    );
    assertSameSeats(client.seats(event.id), await databaseSeats(stack.pool, event.id), 'the client');
  }, 180_000);
});

describe('Socket.IO subscribe', () => {
  test('answers an unknown event with an EVENT_NOT_FOUND error and no snapshot', async () => {
    const client = await connect();
    const unknown = randomUUID();
    client.subscribe(unknown);
    const error = await client.waitFor(() => client.errors()[0], 'an error message');
    assert.equal(error.code, 'EVENT_NOT_FOUND');
    assert.match(error.message, new RegExp(unknown));

    // A later subscription answered means the earlier one was fully handled: still no snapshot for it.
    const known = await createEvent(stack.baseUrl, { totalSeats: 3 });
    client.subscribe(known.id);
    await client.waitFor(() => client.snapshots(known.id)[0], 'the known event snapshot');
    assert.deepEqual(client.snapshots(unknown), []);
    assert.deepEqual(client.updates(unknown), []);
    assert.equal(client.errors().length, 1);

    // Asking to catch up on an unknown event is refused the same way.
    client.emitRaw('resync', { eventId: unknown, sinceVersion: 3 });
    const second = await client.waitFor(() => client.errors()[1], 'a second error message');
    assert.equal(second.code, 'EVENT_NOT_FOUND');
    assert.deepEqual(client.snapshots(unknown), []);
  }, 60_000);

  test('answers a malformed subscribe or resync with a VALIDATION_FAILED error', async () => {
    const client = await connect();
    const malformed: unknown[] = [{ eventId: 'not-a-uuid' }, {}, 'just a string', { eventId: randomUUID(), sinceVersion: -1 }];
    for (const payload of malformed) client.emitRaw('subscribe', payload);
    client.emitRaw('resync', { eventId: randomUUID(), sinceVersion: 1.5 });
    const errors = await client.waitFor(() => (client.errors().length >= 5 ? client.errors() : undefined), 'five errors');
    assert.deepEqual(
      errors.map((e) => e.code),
      Array(5).fill('VALIDATION_FAILED'),
    );
    assert.deepEqual(client.received.filter((m) => m.name !== 'error'), []);
  }, 60_000);

  test('with sinceVersion sends only the updates after it, no snapshot, then live ones', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 10, holdSeconds: 600 });
    for (const seat of [1, 2, 3]) await holdSeats(stack.baseUrl, event.id, [seat]);
    const client = await connect();
    client.emitRaw('subscribe', { eventId: event.id, sinceVersion: 1 });
    await client.waitFor(() => (client.updates(event.id).length >= 2 ? true : undefined), 'the two missed updates');
    await holdSeats(stack.baseUrl, event.id, [4]);
    await client.waitFor(() => (client.updates(event.id).length >= 3 ? true : undefined), 'the live update');
    assert.deepEqual(
      client.updates(event.id).map((u) => [u.version, u.seats]),
      [
        [2, [{ seat_id: 2, status: 'HELD' }]],
        [3, [{ seat_id: 3, status: 'HELD' }]],
        [4, [{ seat_id: 4, status: 'HELD' }]],
      ],
    );
    assert.deepEqual(client.snapshots(event.id), []);
  }, 60_000);

  test('with a sinceVersion whose changes are no longer kept sends a fresh snapshot instead', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 10, holdSeconds: 600 });
    for (const seat of [1, 2, 3]) await holdSeats(stack.baseUrl, event.id, [seat]);
    // As pruning would: the oldest change is gone.
    await stack.pool.query('DELETE FROM seat_changes WHERE event_id = $1 AND version = 1', [event.id]);
    const client = await connect();
    client.emitRaw('subscribe', { eventId: event.id, sinceVersion: 0 });
    const snapshot = await client.waitFor(() => client.snapshots(event.id)[0], 'a snapshot');
    assert.equal(snapshot.version, 3);
    assert.deepEqual(
      snapshot.seats.filter((s) => s.status !== 'AVAILABLE'),
      [1, 2, 3].map((seat_id) => ({ seat_id, status: 'HELD' })),
    );
    assert.deepEqual(client.updates(event.id), []);
  }, 60_000);

  test('unsubscribe stops updates for that event only', async () => {
    const left = await createEvent(stack.baseUrl, { totalSeats: 5, holdSeconds: 600 });
    const kept = await createEvent(stack.baseUrl, { totalSeats: 5, holdSeconds: 600 });
    const client = await connect();
    client.subscribe(left.id);
    await client.waitFor(() => client.snapshots(left.id)[0], 'the snapshot');
    client.unsubscribe(left.id);
    client.subscribe(kept.id);
    await client.waitFor(() => client.snapshots(kept.id)[0], 'the second snapshot');

    await holdSeats(stack.baseUrl, left.id, [1]);
    await holdSeats(stack.baseUrl, kept.id, [1]);
    // One socket's messages arrive in the order they were relayed: had the first been sent, it would be here by now.
    await client.waitFor(() => client.updates(kept.id)[0], 'the update of the kept event');
    assert.deepEqual(client.updates(left.id), []);
  }, 60_000);

  test('relays a change too large for a NOTIFY payload, read back from the outbox, in its place in the order', async () => {
    const capacity = 400;
    const event = await createEvent(stack.baseUrl, { totalSeats: capacity, holdSeconds: 600 });
    const client = await connect();
    client.subscribe(event.id);
    await client.waitFor(() => client.snapshots(event.id)[0], 'the snapshot');

    await holdSeats(stack.baseUrl, event.id, [1]);
    // A change naming every seat (as a backstop sweep may) is announced without its seats.
    const everySeat = range(1, capacity).map((seat_id) => ({ seat_id, status: seat_id === 1 ? 'HELD' : 'AVAILABLE' }));
    assert.ok(JSON.stringify(everySeat).length > 8000);
    await stack.pool.query('SELECT record_seat_change($1, $2::jsonb)', [event.id, JSON.stringify(everySeat)]);
    await holdSeats(stack.baseUrl, event.id, [2]);

    await client.waitForVersion(event.id, 3);
    const updates = client.updates(event.id);
    assert.deepEqual(
      updates.map((u) => u.version),
      [1, 2, 3],
    );
    assert.deepEqual(updates[1].seats, everySeat);
    assertSameSeats(client.seats(event.id), await databaseSeats(stack.pool, event.id), 'the client');
  }, 60_000);
});
