import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, test } from '@jest/globals';
import { createClient } from 'redis';
import { eventually } from '../support/factories';
import { startApiProcess, type ApiProcess } from '../realtime/apiProcess';
import { assertRateLimited, limits, send } from './limitedClient';
import { startPrivateRedis, type PrivateRedis } from './privateRedis';

const SHARED_REDIS_URL = process.env.SEATFLOW_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const started: ApiProcess[] = [];
const redisServers: PrivateRedis[] = [];
afterAll(async () => {
  await Promise.all(started.map((node) => node.stop()));
  await Promise.all(redisServers.map((redis) => redis.kill()));
});

/** An API node (api/main.ts in its own process) with a per-user checkout limit of `perUser` and nothing else. */
async function startNode(name: string, perUser: number, env: Record<string, string>): Promise<ApiProcess> {
  const node = await startApiProcess(name, {
    RATE_LIMIT_PER_USER: String(perUser),
    RATE_LIMIT_PER_ADDRESS: '0',
    RATE_LIMIT_FAILED_HOLDS: '0',
    REDIS_CHANNEL_PREFIX: `seatflow-test-${randomUUID()}`,
    ...env,
  });
  started.push(node);
  return node;
}

const hold = (userId: string) => ({ eventId: randomUUID(), userId, seatNumbers: [1] });
const printed = (node: ApiProcess, text: string) => node.output.some((line) => line.includes(text));

describe('two API nodes sharing Redis', () => {
  test('give a buyer one budget, not two: the count goes down across both nodes and either refuses past it', async () => {
    const prefix = `seatflow-test-${randomUUID()}`;
    const env = { REDIS_URL: SHARED_REDIS_URL, RATE_LIMIT_REDIS_PREFIX: prefix };
    const [first, second] = await Promise.all([startNode('node 1', 4, env), startNode('node 2', 4, env)]);
    for (const node of [first, second]) assert.ok(printed(node, 'rate limits: counted in Redis'), node.output.join('\n'));

    const buyer = `buyer-${randomUUID().slice(0, 8)}`;
    const left: number[] = [];
    for (const node of [first, second, first, second]) {
      const res = await send(node.url, '/bookings', hold(buyer));
      assert.equal(res.status, 404, JSON.stringify(res.body));
      left.push(limits(res.headers).get('per-user')?.r ?? -1);
    }
    assert.deepEqual(left, [3, 2, 1, 0]);
    assertRateLimited(await send(first.url, '/bookings', hold(buyer)), 'per-user');
    assertRateLimited(await send(second.url, '/bookings', hold(buyer)), 'per-user');

    // The count is in Redis, under the configured prefix.
    const redis = createClient({ url: SHARED_REDIS_URL });
    await redis.connect();
    try {
      assert.equal(await redis.get(`${prefix}:checkout:per-user:${buyer}`), '6');
    } finally {
      redis.destroy();
    }
  });
});

describe('without Redis', () => {
  test('a node counts in its own memory and still enforces the limit', async () => {
    const node = await startNode('memory node', 2, { REDIS_URL: '' });
    assert.ok(printed(node, "rate limits: counted in this node's memory"), node.output.join('\n'));
    const buyer = `buyer-${randomUUID().slice(0, 8)}`;
    assert.equal((await send(node.url, '/bookings', hold(buyer))).status, 404);
    assert.equal((await send(node.url, '/bookings', hold(buyer))).status, 404);
    assertRateLimited(await send(node.url, '/bookings', hold(buyer)), 'per-user');
  });
});

describe('when Redis goes away', () => {
  test('requests are still answered and limited, from memory, and the node logs it; counting returns to Redis when it is back', async () => {
    const redis = await startPrivateRedis();
    redisServers.push(redis);
    const prefix = `seatflow-test-${randomUUID()}`;
    const node = await startNode('node', 3, { REDIS_URL: redis.url, RATE_LIMIT_REDIS_PREFIX: prefix });

    const before = `buyer-${randomUUID().slice(0, 8)}`;
    assert.equal((await send(node.url, '/bookings', hold(before))).status, 404);
    assert.equal(await redis.get(`${prefix}:checkout:per-user:${before}`), '1');

    await redis.kill();
    const during = `buyer-${randomUUID().slice(0, 8)}`;
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const startedAt = Date.now();
      const res = await send(node.url, '/bookings', hold(during));
      assert.ok(Date.now() - startedAt < 2_000, `a request took ${Date.now() - startedAt} ms while Redis was down`);
      statuses.push(res.status);
    }
    // Limited all the same (by this node's memory): three through, the fourth refused.
    assert.deepEqual(statuses, [404, 404, 404, 429]);
    await eventually(async () => (printed(node, 'rate limits count in this node') ? true : undefined), 10_000, 'the node to log the outage');

    await redis.restart();
    await eventually(async () => (printed(node, 'rate limits are shared by the API nodes again') ? true : undefined), 30_000, 'the rate limits to see Redis again');
    const after = `buyer-${randomUUID().slice(0, 8)}`;
    assert.equal((await send(node.url, '/bookings', hold(after))).status, 404);
    assert.equal(await redis.get(`${prefix}:checkout:per-user:${after}`), '1');
  });
});

describe('when Redis hangs', () => {
  test('a counter Redis does not answer within 500 ms is kept in memory: requests are answered and limited, and it is logged', async () => {
    const redis = await startPrivateRedis();
    redisServers.push(redis);
    const node = await startNode('node', 2, { REDIS_URL: redis.url, RATE_LIMIT_REDIS_PREFIX: `seatflow-test-${randomUUID()}` });
    redis.pause();
    try {
      const buyer = `buyer-${randomUUID().slice(0, 8)}`;
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const startedAt = Date.now();
        statuses.push((await send(node.url, '/bookings', hold(buyer))).status);
        assert.ok(Date.now() - startedAt < 2_000, `a request took ${Date.now() - startedAt} ms while Redis hung`);
      }
      assert.deepEqual(statuses, [404, 404, 429]);
      assert.ok(printed(node, "Redis did not answer (unreachable, or slower than 500 ms): counting in this node's memory"), node.output.join('\n'));
    } finally {
      redis.resume();
    }
  });
});
