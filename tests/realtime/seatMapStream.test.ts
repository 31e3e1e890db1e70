import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import { afterThisTest, diagnostic } from '../support/testHooks';
import type { SeatUpdate } from '../../domain/seatMap';
import { burst, statusCounts } from '../concurrency/burst';
import { createEvent, holdSeats } from '../support/factories';
import { api } from '../support/http';
import { SeatMapClient, SeatStreamReader } from '../support/seatMapClient';
import { useTestStack } from '../support/stack';
import { assertSameSeats, databaseSeats, databaseVersion, lcg, oneOrTwoSeats, range } from './seatMapDb';
import { decodedStatusOf } from '../../domain/seatBitmap';

const stack = useTestStack();

async function openStream(eventId: string, options: { lastEventId?: number; sinceVersion?: number } = {}) {
  const opened = await SeatStreamReader.open(stack.baseUrl, eventId, options);
  assert.equal(opened.status, 200, `the stream answered ${opened.status}: ${JSON.stringify(opened.body)}`);
  assert.ok(opened.reader);
  const reader = opened.reader;
  afterThisTest(() => reader.close());
  return reader;
}

async function outbox(eventId: string): Promise<Pick<SeatUpdate, 'version' | 'seats'>[]> {
  const { rows } = await stack.pool.query<{ version: string; seats: SeatUpdate['seats'] }>(
    'SELECT version, seats FROM seat_changes WHERE event_id = $1 ORDER BY version',
    [eventId],
  );
  return rows.map((r) => ({ version: Number(r.version), seats: r.seats }));
}

const versionAndSeats = (updates: SeatUpdate[]) => updates.map((u) => ({ version: u.version, seats: u.seats }));

describe('GET /events/:id/stream', () => {
  test('sends seat_snapshot, then the same seat_update sequence as a Socket.IO client, during a burst', async () => {
    const capacity = 200;
    const event = await createEvent(stack.baseUrl, { totalSeats: capacity, holdSeconds: 600, maxSeatsPerBooking: 2 });
    const socketClient = await SeatMapClient.connect(stack.baseUrl);
    afterThisTest(() => socketClient.close());
    socketClient.subscribe(event.id);
    const opened = await SeatStreamReader.open(stack.baseUrl, event.id);
    assert.equal(opened.status, 200);
    assert.match(opened.contentType ?? '', /^text\/event-stream/);
    assert.ok(opened.reader);
    const stream = opened.reader;
    afterThisTest(() => stream.close());
    await stream.waitForVersion(0);
    await socketClient.waitFor(() => socketClient.snapshots(event.id)[0], 'the Socket.IO snapshot');

    const random = lcg(5_2026_1121);
    const answers = await burst(120, (i) =>
      api(stack.baseUrl).post('/bookings', { eventId: event.id, userId: `sse-${i}`, seatNumbers: oneOrTwoSeats(random, capacity) }),
    );
    diagnostic(`holds: ${JSON.stringify(statusCounts(answers.map((a) => a.status)))}`);
    const finalVersion = await databaseVersion(stack.pool, event.id);
    assert.ok(finalVersion > 0);
    await Promise.all([stream.waitForVersion(finalVersion), socketClient.waitForVersion(event.id, finalVersion)]);

    assert.deepEqual(
      stream.messages.map((m) => [m.event, m.id]),
      [['seat_snapshot', '0'], ...range(1, finalVersion).map((v) => ['seat_update', String(v)])],
      'a snapshot, then every version once, in order, each with its version as id',
    );
    assert.deepEqual(stream.snapshots(), socketClient.snapshots(event.id));
    assert.deepEqual(stream.updates(), socketClient.updates(event.id), 'the same messages as Socket.IO');
    assert.deepEqual(versionAndSeats(stream.updates()), await outbox(event.id));
    assert.equal(stream.closedByServer, false, 'the stream stays open');

    // The stream's messages alone rebuild the database's seat map.
    const seats = new Map(stream.snapshots()[0].seats.map((s) => [s.seat_id, s.status]));
    for (const update of stream.updates()) for (const seat of update.seats) seats.set(seat.seat_id, decodedStatusOf(seat.status));
    assertSameSeats(seats, await databaseSeats(stack.pool, event.id), 'the SSE client');
  }, 180_000);

  test('resumes from Last-Event-ID with exactly the missed updates, then live ones', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 20, holdSeconds: 600 });
    const first = await openStream(event.id);
    for (const seat of [1, 2, 3]) await holdSeats(stack.baseUrl, event.id, [seat]);
    await first.waitForVersion(3);
    await first.close();

    // Changes made while no stream is open.
    await holdSeats(stack.baseUrl, event.id, [4, 5]);
    const cancelled = await holdSeats(stack.baseUrl, event.id, [6]);
    assert.equal((await api(stack.baseUrl).post(`/bookings/${cancelled.id}/cancel`)).status, 200);
    assert.equal(await databaseVersion(stack.pool, event.id), 6);

    const resumed = await openStream(event.id, { lastEventId: 3 });
    await resumed.waitForVersion(6);
    await holdSeats(stack.baseUrl, event.id, [7]);
    await resumed.waitForVersion(7);
    assert.deepEqual(
      resumed.messages.map((m) => [m.event, m.id]),
      range(4, 7).map((v) => ['seat_update', String(v)]),
      'no snapshot, no repeats: versions 4 to 7',
    );
    assert.deepEqual(versionAndSeats(resumed.updates()), (await outbox(event.id)).slice(3));

    // The query parameter resumes the same way (for clients that cannot set the header).
    const byQuery = await openStream(event.id, { sinceVersion: 5 });
    await byQuery.waitForVersion(7);
    assert.deepEqual(
      byQuery.updates().map((u) => u.version),
      [6, 7],
    );
    assert.deepEqual(byQuery.snapshots(), []);
  }, 60_000);

  test('sends a fresh snapshot when the changes after Last-Event-ID are no longer kept', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 10, holdSeconds: 600 });
    for (const seat of [1, 2, 3, 4]) await holdSeats(stack.baseUrl, event.id, [seat]);
    // As pruning would: the oldest changes are gone.
    await stack.pool.query('DELETE FROM seat_changes WHERE event_id = $1 AND version <= 2', [event.id]);

    const stream = await openStream(event.id, { lastEventId: 1 });
    await stream.waitForVersion(4);
    await holdSeats(stack.baseUrl, event.id, [5]);
    await stream.waitForVersion(5);
    assert.deepEqual(
      stream.messages.map((m) => [m.event, m.id]),
      [
        ['seat_snapshot', '4'],
        ['seat_update', '5'],
      ],
    );
    const seats = new Map(stream.snapshots()[0].seats.map((s) => [s.seat_id, s.status]));
    for (const seat of stream.updates()[0].seats) seats.set(seat.seat_id, decodedStatusOf(seat.status));
    assertSameSeats(seats, await databaseSeats(stack.pool, event.id), 'the SSE client');
  }, 60_000);

  test('answers 404 EVENT_NOT_FOUND as JSON for an unknown or malformed event id', async () => {
    for (const id of [randomUUID(), 'not-a-uuid']) {
      const opened = await SeatStreamReader.open(stack.baseUrl, id);
      assert.equal(opened.status, 404);
      assert.match(opened.contentType ?? '', /^application\/json/);
      assert.equal((opened.body as { code: string }).code, 'EVENT_NOT_FOUND');
      assert.equal(opened.reader, undefined);
    }
  }, 30_000);
});
