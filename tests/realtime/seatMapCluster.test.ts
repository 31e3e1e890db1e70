import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, test } from '@jest/globals';
import { afterThisTest, diagnostic } from '../support/testHooks';
import type { BookingResponse } from '../../api/presenters/booking';
import { RELAY_LOCK_KEY } from '../../api/realtime/seatChangeListener';
import { burst, statusCounts } from '../concurrency/burst';
import { createEvent } from '../support/factories';
import { api } from '../support/http';
import { SeatMapClient, SeatStreamReader } from '../support/seatMapClient';
import { useTestStack } from '../support/stack';
import { startApiProcess, type ApiProcess } from './apiProcess';
import { assertSameSeats, databaseSeats, databaseVersion, lcg, oneOrTwoSeats, range } from './seatMapDb';

const REDIS_URL = process.env.SEATFLOW_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const stack = useTestStack();
let nodes: ApiProcess[] = [];

beforeAll(async () => {
  // Two API nodes sharing Redis; the bookings they start run on this stack's worker.
  const env = {
    REDIS_URL,
    DATABASE_URL: stack.env.databaseUrl,
    TEMPORAL_ADDRESS: stack.env.temporalAddress,
    TEMPORAL_TASK_QUEUE: stack.env.taskQueue,
    // Other runs may share this Redis: these two nodes talk only to each other.
    REDIS_CHANNEL_PREFIX: `seatflow-test-${randomUUID()}`,
    // ...and count their rate limits apart from every other run's.
    RATE_LIMIT_REDIS_PREFIX: `seatflow-test-${randomUUID()}`,
  };
  // One after the other, so the first is the relay.
  nodes.push(await startApiProcess('node 1', env));
  nodes.push(await startApiProcess('node 2', env));
});
afterAll(async () => {
  await Promise.all(nodes.map((node) => node.stop()));
  nodes = [];
});

async function connect(url: string): Promise<SeatMapClient> {
  const client = await SeatMapClient.connect(url);
  afterThisTest(() => client.close());
  return client;
}

describe('Socket.IO across two API nodes sharing Redis', () => {
  test('exactly one node relays the database changes', () => {
    const [first, second] = nodes;
    assert.equal(first.relays(), true, `node 1 should relay:\n${first.output.join('\n')}`);
    assert.equal(second.relays(), false, `node 2 should not relay:\n${second.output.join('\n')}`);
  });

  test('clients of both nodes receive every change once, in order, whichever node took the booking', async () => {
    const [first, second] = nodes;
    const capacity = 200;
    const event = await createEvent(first.url, { totalSeats: capacity, holdSeconds: 600, maxSeatsPerBooking: 2 });
    const onFirst = await connect(first.url);
    const onSecond = await connect(second.url);
    onFirst.subscribe(event.id);
    onSecond.subscribe(event.id);
    // The node that does not relay gets its SSE updates from the relay over Redis too.
    const opened = await SeatStreamReader.open(second.url, event.id);
    assert.equal(opened.status, 200);
    assert.ok(opened.reader);
    const stream = opened.reader;
    afterThisTest(() => stream.close());
    await onFirst.waitFor(() => onFirst.snapshots(event.id)[0], 'the snapshot on node 1');
    await onSecond.waitFor(() => onSecond.snapshots(event.id)[0], 'the snapshot on node 2');
    await stream.waitForVersion(0);

    // Most bookings through node 1, a third through node 2; some of node 2's winners cancel at once.
    const random = lcg(7_2026_1121);
    const wanted = Array.from({ length: 120 }, () => oneOrTwoSeats(random, capacity));
    const results = await burst(wanted.length, async (i) => {
      const node = i % 3 === 2 ? second : first;
      const hold = await api(node.url).post<BookingResponse>('/bookings', {
        eventId: event.id,
        userId: `cluster-${i}`,
        seatNumbers: wanted[i],
      });
      if (hold.status === 201 && i % 6 === 5) {
        const cancelled = await api(node.url).post(`/bookings/${hold.body.id}/cancel`);
        assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
      }
      return hold.status;
    });
    diagnostic(`holds: ${JSON.stringify(statusCounts(results))}`);
    assert.ok(
      results.every((s) => s === 201 || s === 409),
      `holds answer 201 or 409: ${JSON.stringify(statusCounts(results))}\nnode 1:\n${first.output.join('\n')}\nnode 2:\n${second.output.join('\n')}`,
    );
    assert.ok(results.some((s, i) => s === 201 && i % 3 === 2), 'some holds went through node 2');

    const finalVersion = await databaseVersion(stack.pool, event.id);
    await Promise.all([
      onFirst.waitForVersion(event.id, finalVersion),
      onSecond.waitForVersion(event.id, finalVersion),
      stream.waitForVersion(finalVersion),
    ]);
    const expected = range(1, finalVersion);
    assert.deepEqual(onFirst.updates(event.id).map((u) => u.version), expected, 'node 1 client: every version once, in order');
    assert.deepEqual(onSecond.updates(event.id).map((u) => u.version), expected, 'node 2 client: every version once, in order');
    assert.deepEqual(stream.updates().map((u) => u.version), expected, 'node 2 SSE reader: every version once, in order');
    assert.deepEqual(onSecond.updates(event.id), onFirst.updates(event.id));
    for (const client of [onFirst, onSecond]) {
      assert.deepEqual(client.errors(), []);
      assert.equal(client.resyncs, 0);
    }
    const seats = await databaseSeats(stack.pool, event.id);
    assertSameSeats(onFirst.seats(event.id), seats, 'the node 1 client');
    assertSameSeats(onSecond.seats(event.id), seats, 'the node 2 client');
  }, 180_000);

  // Stops node 1: keep it last.
  test('when the relaying node stops, the other takes over and its clients catch up without a reload', async () => {
    const [first, second] = nodes;
    const capacity = 100;
    const event = await createEvent(second.url, { totalSeats: capacity, holdSeconds: 600 });
    const client = await connect(second.url);
    client.subscribe(event.id);
    await client.waitFor(() => client.snapshots(event.id)[0], 'the snapshot');
    const hold = (seat: number) =>
      api(second.url).post('/bookings', { eventId: event.id, userId: `failover-${seat}`, seatNumbers: [seat] });

    assert.equal((await hold(1)).status, 201);
    await client.waitForVersion(event.id, 1);

    // The test queues for the relay lock before node 2 can take it, so for a while nobody relays.
    const lockHolder = await stack.pool.connect();
    afterThisTest(() => lockHolder.release());
    const locked = lockHolder.query('SELECT pg_advisory_lock($1)', [RELAY_LOCK_KEY]);
    await first.stop();
    await locked;
    // Changes committed while nobody relays are never sent live; the client sees the gap at the next update.
    for (const seat of [2, 3, 4]) assert.equal((await hold(seat)).status, 201);
    await lockHolder.query('SELECT pg_advisory_unlock($1)', [RELAY_LOCK_KEY]);
    await second.waitUntilRelaying();
    for (const seat of [5, 6]) assert.equal((await hold(seat)).status, 201);

    const finalVersion = await databaseVersion(stack.pool, event.id);
    assert.equal(finalVersion, 6);
    await client.waitForVersion(event.id, finalVersion);
    diagnostic(`updates as received: ${client.updates(event.id).map((u) => u.version).join(',')}`);
    assert.equal(client.updates(event.id)[1].version, 5, 'the first update after the takeover is the first one relayed');
    assert.equal(client.resyncs, 1, 'the gap was noticed and filled by one resync');
    assert.deepEqual(client.disconnects, [], 'the other node keeps its clients when one node stops');
    assert.deepEqual(
      client.applied(event.id),
      [{ via: 'snapshot', version: 0 }, ...range(1, finalVersion).map((version) => ({ via: 'update', version }))],
      'every version applied once, in order, with no second snapshot',
    );
    assertSameSeats(client.seats(event.id), await databaseSeats(stack.pool, event.id), 'the client');
  }, 180_000);
});
