/**
 * Redis never blocks an API node: started while its Redis is unreachable, a node listens, takes
 * bookings, serves its own Socket.IO clients and says `degraded` in GET /health; once Redis is back
 * its broadcasts reach other nodes again. The same when Redis goes away while the nodes run.
 * Real `api/main.ts` processes and a private redis-server that the test stops and starts.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, test } from '@jest/globals';
import { startApiProcess, type ApiProcess } from '../realtime/apiProcess';
import { assertSameSeats, databaseSeats, databaseVersion } from '../realtime/seatMapDb';
import { startPrivateRedis, type PrivateRedis } from '../ratelimits/privateRedis';
import { createEvent, eventually, holdSeats } from '../support/factories';
import { api } from '../support/http';
import { SeatMapClient } from '../support/seatMapClient';
import { useTestStack } from '../support/stack';
import { afterThisTest } from '../support/testHooks';

interface Health {
  ok: boolean;
  status?: string;
  redis?: string;
  degraded?: string[];
}

const stack = useTestStack();
let redis: PrivateRedis;
const nodes: ApiProcess[] = [];
let env: Record<string, string>;

beforeAll(async () => {
  redis = await startPrivateRedis();
  env = {
    REDIS_URL: redis.url,
    DATABASE_URL: stack.env.databaseUrl,
    TEMPORAL_ADDRESS: stack.env.temporalAddress,
    TEMPORAL_TASK_QUEUE: stack.env.taskQueue,
    REDIS_CHANNEL_PREFIX: `seatflow-test-${randomUUID()}`,
    RATE_LIMIT_REDIS_PREFIX: `seatflow-test-${randomUUID()}`,
  };
}, 60_000);
afterAll(async () => {
  await Promise.all(nodes.map((node) => node.stop()));
  await redis?.kill();
});

async function health(node: ApiProcess): Promise<Health> {
  const res = await api(node.url).get<Health>('/health');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

const healthBecomes = (node: ApiProcess, status: 'ok' | 'degraded') =>
  eventually(async () => {
    const body = await health(node);
    return body.status === status ? body : undefined;
  }, 30_000, `GET /health to say ${status}`);

async function client(node: ApiProcess, eventId: string): Promise<SeatMapClient> {
  const c = await SeatMapClient.connect(node.url);
  afterThisTest(() => c.close());
  c.subscribe(eventId);
  await c.waitFor(() => (c.snapshots(eventId).length > 0 ? true : undefined), 'the first snapshot');
  return c;
}

async function inSyncWithDatabase(c: SeatMapClient, eventId: string, who: string): Promise<void> {
  await c.waitForVersion(eventId, await databaseVersion(stack.pool, eventId), 30_000);
  assertSameSeats(c.seats(eventId), await databaseSeats(stack.pool, eventId), who);
}

const alive = (node: ApiProcess) => node.child.exitCode === null && node.child.signalCode === null;

describe('an API node and its Redis', () => {
  test('with Redis unreachable at start it listens, says degraded with the reason, takes bookings and serves its Socket.IO clients', async () => {
    await redis.kill();
    const node = await startApiProcess('node A', env);
    nodes.push(node);

    const body = await health(node);
    assert.equal(body.status, 'degraded');
    assert.equal(body.redis, 'down');
    assert.match(body.degraded?.join(' ') ?? '', /redis: .*(ECONNREFUSED|not connected)/i);

    const event = await createEvent(node.url, { totalSeats: 10 });
    const watcher = await client(node, event.id);
    const booking = await holdSeats(node.url, event.id, [1, 2]);
    assert.equal(booking.status, 'HELD');
    await inSyncWithDatabase(watcher, event.id, 'node A client');
    assert.equal(watcher.seats(event.id).get(1), 'HELD');
  });

  test('when Redis comes back the node says ok and its broadcasts reach the clients of another node again', async () => {
    const [nodeA] = nodes;
    await redis.restart();
    const body = await healthBecomes(nodeA, 'ok');
    assert.equal(body.redis, 'up');

    const nodeB = await startApiProcess('node B', env);
    nodes.push(nodeB);
    const event = await createEvent(nodeA.url, { totalSeats: 10 });
    // Node A relays the database's changes (it came first): node B's clients hear them only through Redis.
    assert.equal(nodeA.relays(), true, nodeA.output.join('\n'));
    const onB = await client(nodeB, event.id);
    await holdSeats(nodeA.url, event.id, [4]);
    await inSyncWithDatabase(onB, event.id, 'node B client');
    assert.equal(onB.seats(event.id).get(4), 'HELD');
  });

  test('when Redis goes away while running both nodes stay up and degraded, serve their own clients, and recover when it is back', async () => {
    const [nodeA, nodeB] = nodes;
    const event = await createEvent(nodeA.url, { totalSeats: 10 });
    const onA = await client(nodeA, event.id);
    const onB = await client(nodeB, event.id);

    await redis.kill();
    await healthBecomes(nodeA, 'degraded');
    await healthBecomes(nodeB, 'degraded');
    // Broadcasts published while Redis is away must not end either process.
    assert.equal((await holdSeats(nodeB.url, event.id, [5])).status, 'HELD');
    assert.equal((await holdSeats(nodeA.url, event.id, [6])).status, 'HELD');
    await inSyncWithDatabase(onA, event.id, 'node A client during the outage');
    assert.ok(alive(nodeA) && alive(nodeB), `both nodes should still run:\n${nodeA.output.join('\n')}\n${nodeB.output.join('\n')}`);

    await redis.restart();
    await healthBecomes(nodeA, 'ok');
    await healthBecomes(nodeB, 'ok');
    await holdSeats(nodeA.url, event.id, [7]);
    // Node B's client missed the outage's updates: the next one shows the gap and it resyncs.
    await inSyncWithDatabase(onB, event.id, 'node B client after Redis came back');
    assert.equal(onB.seats(event.id).get(7), 'HELD');
  });
});
