import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import { SeatMapEvents, type SeatSnapshot } from '../../domain/seatMap';
import { burst } from '../concurrency/burst';
import { createEvent, holdSeats } from '../support/factories';
import { api } from '../support/http';
import { SeatMapClient, SeatStreamReader } from '../support/seatMapClient';
import { getSeatMap } from '../support/seatMapHttp';
import { afterThisTest, diagnostic } from '../support/testHooks';
import { useTestStack } from '../support/stack';
import { assertSameSeats, databaseSeats, databaseVersion, lcg, oneOrTwoSeats, range } from '../realtime/seatMapDb';

const stack = useTestStack();

async function connect(): Promise<SeatMapClient> {
  const client = await SeatMapClient.connect(stack.baseUrl);
  afterThisTest(() => client.close());
  return client;
}

function rawSnapshots(client: SeatMapClient): SeatSnapshot[] {
  return client.received.flatMap((m) => (m.name === SeatMapEvents.snapshot ? [m.data] : []));
}

describe('compact seat-map snapshots', () => {
  test('Socket.IO and SSE send the snapshot as the base64 seat map, with its version and seat count, as GET /seat-map', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 11, holdSeconds: 600 });
    await holdSeats(stack.baseUrl, event.id, [2, 11]);
    const client = await connect();
    client.subscribe(event.id);
    await client.waitFor(() => client.snapshots(event.id)[0], 'the snapshot');
    const [raw] = rawSnapshots(client);
    assert.deepEqual(Object.keys(raw).sort(), ['event_id', 'seat_map', 'total_seats', 'version']);
    assert.equal(raw.total_seats, 11);
    assert.equal(raw.version, 1);
    const map = await getSeatMap(stack.baseUrl, event.id);
    assert.equal(raw.seat_map, map.bitmap.toString('base64'));

    const opened = await SeatStreamReader.open(stack.baseUrl, event.id);
    assert.ok(opened.reader);
    const stream = opened.reader;
    afterThisTest(() => stream.close());
    await stream.waitForVersion(1);
    const sse = JSON.parse(stream.messages[0].data) as SeatSnapshot;
    assert.deepEqual(sse, raw);
    assert.deepEqual(
      client.snapshots(event.id)[0].seats.filter((s) => s.status !== 'AVAILABLE'),
      [2, 11].map((seat_id) => ({ seat_id, status: 'HELD' })),
    );
  });

  test('a 100,000-seat snapshot is about 33 KB instead of megabytes of JSON', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 100_000, holdSeconds: 600 });
    const client = await connect();
    client.subscribe(event.id);
    await client.waitFor(() => client.snapshots(event.id)[0], 'the snapshot');
    const bytes = JSON.stringify(rawSnapshots(client)[0]).length;
    diagnostic(`100,000-seat snapshot: ${bytes} bytes of JSON`);
    assert.ok(bytes <= 34_000, `${bytes} bytes`);
    assert.equal(client.snapshots(event.id)[0].seats.length, 100_000);
  }, 60_000);

  test('a client that joins in the middle of a burst gets every later version once, in order, and ends equal to the database', async () => {
    const capacity = 300;
    const event = await createEvent(stack.baseUrl, { totalSeats: capacity, holdSeconds: 600, maxSeatsPerBooking: 2 });
    const random = lcg(17_2026_1129);
    const wanted = Array.from({ length: 160 }, () => oneOrTwoSeats(random, capacity));
    const joiners: SeatMapClient[] = [];
    const bookings = burst(
      wanted.length,
      async (i) => {
        // Clients join by snapshot while holds commit.
        if (i % 40 === 20) {
          const client = await connect();
          client.subscribe(event.id);
          joiners.push(client);
        }
        return api(stack.baseUrl).post('/bookings', { eventId: event.id, userId: `mid-${i}`, seatNumbers: wanted[i] });
      },
      16,
    );
    await bookings;
    const finalVersion = await databaseVersion(stack.pool, event.id);
    assert.ok(joiners.length >= 3);
    const database = await databaseSeats(stack.pool, event.id);
    for (const [n, client] of joiners.entries()) {
      await client.waitForVersion(event.id, finalVersion);
      const applied = client.applied(event.id);
      const first = applied[0];
      assert.ok(first, `joiner ${n} applied nothing`);
      diagnostic(`joiner ${n} started from ${first.via} ${first.version}`);
      assert.deepEqual(
        applied.map((a) => a.version),
        range(first.version, finalVersion),
        `joiner ${n} applies each version once, in order`,
      );
      const updates = client.updates(event.id).map((u) => u.version);
      assert.equal(new Set(updates).size, updates.length, `joiner ${n} received no update twice`);
      assert.equal(client.resyncs, 0, `joiner ${n} never saw a gap`);
      assertSameSeats(client.seats(event.id), database, `joiner ${n}`);
    }
  }, 120_000);
});
