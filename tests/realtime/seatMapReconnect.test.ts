import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import { afterThisTest, diagnostic } from '../support/testHooks';
import { burst, statusCounts } from '../concurrency/burst';
import { createEvent } from '../support/factories';
import { api } from '../support/http';
import { SeatMapClient } from '../support/seatMapClient';
import { useTestStack } from '../support/stack';
import { assertSameSeats, databaseSeats, databaseVersion, lcg, oneOrTwoSeats, range } from './seatMapDb';

const stack = useTestStack();

describe('Socket.IO client reconnecting in the middle of a burst', () => {
  test('ends equal to the database, every version applied once in order, caught up without a new snapshot', async () => {
    const capacity = 300;
    const event = await createEvent(stack.baseUrl, { totalSeats: capacity, holdSeconds: 600, maxSeatsPerBooking: 2 });
    const client = await SeatMapClient.connect(stack.baseUrl);
    afterThisTest(() => client.close());
    client.subscribe(event.id);
    await client.waitFor(() => client.snapshots(event.id)[0], 'the snapshot');

    // Two interruptions while 150 bookings are made (at most 20 in flight, so the burst lasts):
    // the connection drops and comes back by itself, then the client leaves and returns while bookings commit.
    let answered = 0;
    const interruptions: Promise<void>[] = [];
    let versionWhenLeft = -1;
    let versionWhenBack = -1;
    const interrupt = () => {
      answered += 1;
      if (answered === 30) client.socket.io.engine.close();
      if (answered === 70) {
        client.socket.disconnect();
        interruptions.push(databaseVersion(stack.pool, event.id).then((v) => void (versionWhenLeft = v)));
      }
      if (answered === 100) {
        interruptions.push(
          databaseVersion(stack.pool, event.id).then((v) => {
            versionWhenBack = v;
            client.socket.connect();
          }),
        );
      }
    };
    const random = lcg(11_2026_1121);
    const wanted = Array.from({ length: 150 }, () => oneOrTwoSeats(random, capacity));
    const answers = await burst(
      wanted.length,
      async (i) => {
        const res = await api(stack.baseUrl).post('/bookings', { eventId: event.id, userId: `reconnect-${i}`, seatNumbers: wanted[i] });
        interrupt();
        return res.status;
      },
      20,
    );
    await Promise.all(interruptions);
    diagnostic(`holds: ${JSON.stringify(statusCounts(answers))}; away from version ${versionWhenLeft} to ${versionWhenBack}`);
    assert.ok(versionWhenBack > versionWhenLeft, 'changes were committed while the client was away');

    const finalVersion = await databaseVersion(stack.pool, event.id);
    await client.waitForVersion(event.id, finalVersion);
    diagnostic(`disconnects: ${JSON.stringify(client.disconnects)}, resyncs: ${client.resyncs}, raw updates: ${client.updates(event.id).length} for ${finalVersion} versions`);
    assert.deepEqual(client.disconnects, ['forced close', 'io client disconnect']);
    assert.equal(client.connects, 3, 'connected, then reconnected twice');
    assert.deepEqual(
      client.applied(event.id),
      [{ via: 'snapshot', version: 0 }, ...range(1, finalVersion).map((version) => ({ via: 'update', version }))],
      'every version applied once, in order: what was missed came as updates, not a reload',
    );
    assert.deepEqual(client.errors(), []);
    assertSameSeats(client.seats(event.id), await databaseSeats(stack.pool, event.id), 'the client');
  }, 180_000);
});
