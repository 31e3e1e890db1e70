import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import { EventTermsCache } from '../../api/realtime/eventTermsCache';
import type { EventRecord } from '../../domain/event';
import { createEvent, eventually, holdSeats } from '../support/factories';
import { api, request } from '../support/http';
import { useTestStack } from '../support/stack';
import { afterThisTest } from '../support/testHooks';
import { buyer, createVenueEvent, put, THEATRE } from '../venues/venueFixtures';

const stack = useTestStack();
const http = () => api(stack.baseUrl);

// A second node's copy of the events: it hears of changes only through the database.
async function anotherNodesCache(): Promise<EventTermsCache> {
  const cache = new EventTermsCache(stack.pool, { databaseUrl: stack.env.databaseUrl, maxEvents: 100, log: () => undefined });
  await cache.start();
  afterThisTest(() => cache.close());
  return cache;
}

async function availableInDatabase(eventId: string): Promise<number> {
  const { rows } = await stack.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM seats WHERE event_id = $1 AND status = 'AVAILABLE'`,
    [eventId],
  );
  return rows[0].n;
}

async function availableSaid(eventId: string): Promise<number> {
  const res = await http().get<EventRecord>(`/events/${eventId}`);
  assert.equal(res.status, 200);
  return res.body.availableSeats;
}

describe('the event cache behind GET /events/:id', () => {
  test('reads an event once, and again only after the database says its row changed (PATCH on another node)', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 5 });
    const cache = await anotherNodesCache();
    assert.equal((await cache.get(event.id))?.onSaleAt, null);
    await cache.get(event.id);
    assert.equal(cache.loads, 1);

    const onSaleAt = '2031-01-01T10:00:00.000Z';
    const patched = await request<EventRecord>(stack.baseUrl, 'PATCH', `/events/${event.id}`, { onSaleAt });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    await eventually(async () => ((await cache.get(event.id))?.onSaleAt === onSaleAt ? true : undefined), 5_000, 'the other node to see the change');
    assert.equal(cache.loads, 2);
    // And the node that changed it answers the change straight away.
    assert.equal((await http().get<EventRecord>(`/events/${event.id}`)).body.onSaleAt, onSaleAt);
  });

  test('reads every event from the database while its LISTEN connection is down, and keeps them again once it listens', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 5 });
    const cache = await anotherNodesCache();
    await cache.get(event.id);
    const { rowCount } = await stack.pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN event_changed' AND application_name = 'seatflow-event-listener'`,
    );
    assert.ok((rowCount ?? 0) >= 1);
    await eventually(
      async () => {
        const before = cache.loads;
        await cache.get(event.id);
        return cache.loads > before ? true : undefined;
      },
      5_000,
      'reads to go to the database',
    );
    await eventually(
      async () => {
        await cache.get(event.id);
        const before = cache.loads;
        await cache.get(event.id);
        return cache.loads === before ? true : undefined;
      },
      10_000,
      'the cache to listen and keep events again',
    );
  });

  test('availableSeats counted from the seat map equals the database after holds, a booking, general admission and blocked seats', async () => {
    const event = await createVenueEvent(stack.baseUrl, THEATRE);
    assert.equal(await availableSaid(event.id), await availableInDatabase(event.id));
    // Each answer right after the write that changed it: a read on this node sees what the database has.
    await holdSeats(stack.baseUrl, event.id, [1, 2]);
    assert.equal(await availableSaid(event.id), await availableInDatabase(event.id));
    const ga = await http().post('/bookings', { eventId: event.id, userId: buyer(), area: 'Floor', quantity: 3 });
    assert.equal(ga.status, 201, JSON.stringify(ga.body));
    assert.equal(await availableSaid(event.id), await availableInDatabase(event.id));
    const blocked = await put(stack.baseUrl, `/events/${event.id}/blocked-seats`, { seatNumbers: [7, 8] });
    assert.equal(blocked.status, 200, JSON.stringify(blocked.body));
    assert.equal(await availableSaid(event.id), await availableInDatabase(event.id));
    assert.equal(await availableSaid(event.id), 18 + 4 + 30 - 2 - 3 - 2);

    // A seat count that does not fill the map's last byte: the padding is no seat.
    const small = await createEvent(stack.baseUrl, { totalSeats: 7 });
    assert.equal(await availableSaid(small.id), 7);
    await holdSeats(stack.baseUrl, small.id, [7]);
    assert.equal(await availableSaid(small.id), 6);
  });
});
