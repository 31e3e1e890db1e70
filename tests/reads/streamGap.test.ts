import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from '@jest/globals';
import Koa from 'koa';
import { SeatFeed } from '../../api/realtime/seatFeed';
import { SeatMapCache } from '../../api/realtime/seatMapCache';
import { streamSeatMap } from '../../api/routes/events/stream';
import { readSeatChange } from '../../db/queries/seatChanges';
import type { SeatUpdate } from '../../domain/seatMap';
import { createEvent, eventually, holdSeats } from '../support/factories';
import { SeatStreamReader } from '../support/seatMapClient';
import { useTestStack } from '../support/stack';
import { afterThisTest } from '../support/testHooks';

// The stack's API commits the changes; the stream under test reads a feed the test controls, so it
// can be made to skip a change, as a feed does when its listener reconnects.
const stack = useTestStack();

async function streamServer(feed: SeatFeed, cache: SeatMapCache): Promise<string> {
  const app = new Koa();
  app.use(async (ctx) => {
    const match = /^\/events\/([^/]+)\/stream$/.exec(ctx.path);
    if (match) await streamSeatMap(ctx, { pool: stack.pool, feed, seatMaps: cache }, match[1]);
  });
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  afterThisTest(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function controlledFeed(): { feed: SeatFeed; cache: SeatMapCache } {
  const feed = new SeatFeed();
  const cache = new SeatMapCache(stack.pool, feed, { maxEvents: 10, verifyAfterMs: 60_000, graceMs: 60_000, log: () => undefined });
  afterThisTest(() => cache.close());
  return { feed, cache };
}

async function change(eventId: string, version: number): Promise<SeatUpdate> {
  const update = await readSeatChange(stack.pool, eventId, version);
  assert.ok(update, `no change ${version} in the outbox`);
  return update;
}

describe('GET /events/:id/stream when the feed skips a change', () => {
  test('sends the skipped change from the outbox before the one that follows it, so no version is missing', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 10, holdSeconds: 600 });
    const { feed, cache } = controlledFeed();
    const url = await streamServer(feed, cache);
    const opened = await SeatStreamReader.open(url, event.id);
    assert.equal(opened.status, 200);
    const reader = opened.reader!;
    afterThisTest(() => reader.close());
    await reader.waitForVersion(0);

    await holdSeats(stack.baseUrl, event.id, [1]);
    await holdSeats(stack.baseUrl, event.id, [2]);
    await holdSeats(stack.baseUrl, event.id, [3]);
    // Version 2 never comes through this feed.
    feed.publish(await change(event.id, 1));
    feed.publish(await change(event.id, 3));
    await reader.waitForVersion(3);

    assert.deepEqual(
      reader.messages.map((m) => [m.event, m.id]),
      [['seat_snapshot', '0'], ['seat_update', '1'], ['seat_update', '2'], ['seat_update', '3']],
    );
    assert.deepEqual(reader.updates().map((u) => u.seats.map((s) => s.seat_id)), [[1], [2], [3]]);
    assert.equal(reader.closedByServer, false);
  });

  test('ends the stream, for EventSource to resume with Last-Event-ID, when the outbox no longer has the skipped change', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 10, holdSeconds: 600 });
    const { feed, cache } = controlledFeed();
    const url = await streamServer(feed, cache);
    const opened = await SeatStreamReader.open(url, event.id);
    const reader = opened.reader!;
    afterThisTest(() => reader.close());
    await reader.waitForVersion(0);

    await holdSeats(stack.baseUrl, event.id, [1]);
    await holdSeats(stack.baseUrl, event.id, [2]);
    const second = await change(event.id, 2);
    await stack.pool.query('DELETE FROM seat_changes WHERE event_id = $1 AND version = 1', [event.id]);
    feed.publish(second);
    await eventually(async () => (reader.closedByServer ? true : undefined), 10_000, 'the server to end the stream');

    assert.deepEqual(reader.messages.map((m) => [m.event, m.id]), [['seat_snapshot', '0']], 'nothing after a gap it cannot fill');
  });
});
