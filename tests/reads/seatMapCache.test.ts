import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import { SeatFeed } from '../../api/realtime/seatFeed';
import { SeatMapCache, type SeatMapCacheOptions } from '../../api/realtime/seatMapCache';
import { decodeSeatMap } from '../../domain/seatBitmap';
import type { SeatUpdate } from '../../domain/seatMap';
import { readSeatChange } from '../../db/queries/seatChanges';
import { createEvent, eventually, holdSeats } from '../support/factories';
import { afterThisTest } from '../support/testHooks';
import { useTestStack } from '../support/stack';
import { databaseSeats } from '../realtime/seatMapDb';

// The stack's own API keeps its own cache; these tests drive a cache of their own with a feed they control.
const stack = useTestStack();

function cacheWithFeed(options: Partial<SeatMapCacheOptions> = {}): { cache: SeatMapCache; feed: SeatFeed } {
  const feed = new SeatFeed();
  const cache = new SeatMapCache(stack.pool, feed, { maxEvents: 100, verifyAfterMs: 60_000, graceMs: 100, log: () => undefined, ...options });
  afterThisTest(() => cache.close());
  return { cache, feed };
}

async function change(eventId: string, version: number): Promise<SeatUpdate> {
  const update = await readSeatChange(stack.pool, eventId, version);
  assert.ok(update, `no change ${version}`);
  return update;
}

async function statuses(cache: SeatMapCache, eventId: string): Promise<string[]> {
  const view = await cache.get(eventId);
  assert.ok(view);
  return decodeSeatMap(view.bytes, view.totalSeats);
}

describe('the seat-map cache', () => {
  test('loads an event once, then follows committed changes from the feed without a query', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 6, holdSeconds: 600 });
    const { cache, feed } = cacheWithFeed();
    const reads = await Promise.all([cache.get(event.id), cache.get(event.id), cache.get(event.id)]);
    assert.equal(cache.loads, 1, 'concurrent first reads share one load');
    assert.equal(reads[0]?.version, 0);

    await holdSeats(stack.baseUrl, event.id, [1]);
    await holdSeats(stack.baseUrl, event.id, [2, 3]);
    assert.equal((await cache.get(event.id))?.version, 0, 'nothing reached this feed yet');
    feed.publish(await change(event.id, 1));
    feed.publish(await change(event.id, 2));
    feed.publish(await change(event.id, 1));
    const view = await cache.get(event.id);
    assert.equal(view?.version, 2);
    assert.deepEqual(await statuses(cache, event.id), ['HELD', 'HELD', 'HELD', 'AVAILABLE', 'AVAILABLE', 'AVAILABLE']);
    assert.equal(cache.loads, 1);
    assert.equal(await cache.get(event.id), view, 'one view per version, reused by every read');
  });

  test('a change that skips a version is held back, and the map reloads when the gap stays open', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 5, holdSeconds: 600 });
    const { cache, feed } = cacheWithFeed();
    await cache.get(event.id);
    for (const seat of [1, 2, 3]) await holdSeats(stack.baseUrl, event.id, [seat]);
    feed.publish(await change(event.id, 1));
    feed.publish(await change(event.id, 3));
    assert.equal((await cache.get(event.id))?.version, 1, 'version 3 waits for version 2');
    await eventually(async () => ((await cache.get(event.id))?.version === 3 ? true : undefined), 5_000, 'the reload');
    assert.equal(cache.loads, 2);
    const database = await databaseSeats(stack.pool, event.id);
    assert.deepEqual(await statuses(cache, event.id), [...database.values()]);
  });

  test('a map behind the database (a change never relayed) is found by the periodic check and reloaded', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 4, holdSeconds: 600 });
    const { cache } = cacheWithFeed({ verifyAfterMs: 200 });
    await cache.get(event.id);
    await holdSeats(stack.baseUrl, event.id, [4]);
    await eventually(async () => ((await cache.get(event.id))?.version === 1 ? true : undefined), 5_000, 'the check to reload');
    assert.deepEqual(await statuses(cache, event.id), ['AVAILABLE', 'AVAILABLE', 'AVAILABLE', 'HELD']);
  });

  test('answers undefined for an unknown event, and keeps at most maxEvents maps', async () => {
    const { cache } = cacheWithFeed({ maxEvents: 2 });
    assert.equal(await cache.get(randomUUID()), undefined);
    const events = await Promise.all([1, 2, 3].map(() => createEvent(stack.baseUrl, { totalSeats: 2 })));
    for (const event of events) await cache.get(event.id);
    const loads = cache.loads;
    await cache.get(events[2].id);
    await cache.get(events[1].id);
    assert.equal(cache.loads, loads, 'the two most recent are kept');
    await cache.get(events[0].id);
    assert.equal(cache.loads, loads + 1, 'the oldest was evicted');
  });
});
