import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import { readEnv } from '../../config/env';
import { tokenFor } from '../auth/authClient';
import { burst } from '../concurrency/burst';
import { databaseSeats } from '../realtime/seatMapDb';
import { createEvent } from '../support/factories';
import { useTestStack } from '../support/stack';
import { assertRateLimited, limits, policies, rateLimitEnv, send } from './limitedClient';

const newUser = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;
// A checkout request that the limiter counts and that ends cheaply: the event does not exist (404).
const unknownEventHold = (userId: string) => ({ eventId: randomUUID(), userId, seatNumbers: [1] });

describe('the per-user limit on checkout', () => {
  const stack = useTestStack({ env: rateLimitEnv({ perUser: 4 }) });

  test('counts a buyer down through RateLimit, then answers 429 RATE_LIMITED with Retry-After and holds nothing', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 10, holdSeconds: 600 });
    const buyer = newUser('buyer');
    const remaining: number[] = [];
    for (const seat of [1, 2, 3, 4]) {
      const res = await send(stack.baseUrl, '/bookings', { eventId: event.id, userId: buyer, seatNumbers: [seat] });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.deepEqual(policies(res.headers).get('per-user'), { q: 4, w: 60 });
      const limit = limits(res.headers).get('per-user');
      assert.ok(limit && limit.t >= 1 && limit.t <= 60, `t out of range: ${res.headers.get('RateLimit')}`);
      remaining.push(limit.r);
    }
    assert.deepEqual(remaining, [3, 2, 1, 0]);

    const refused = await send(stack.baseUrl, '/bookings', { eventId: event.id, userId: buyer, seatNumbers: [5] });
    assertRateLimited(refused, 'per-user');

    // Nothing held, nothing written: seat 5 is free and the buyer has exactly the four bookings.
    assert.equal((await databaseSeats(stack.pool, event.id)).get(5), 'AVAILABLE');
    const { rows } = await stack.pool.query<{ n: string }>('SELECT count(*) AS n FROM bookings WHERE user_id = $1', [buyer]);
    assert.equal(Number(rows[0].n), 4);
    // Another buyer is not affected, and takes the seat.
    const other = await send(stack.baseUrl, '/bookings', { eventId: event.id, userId: newUser('other'), seatNumbers: [5] });
    assert.equal(other.status, 201, JSON.stringify(other.body));
  });

  test('POST /events/:id/book (the seed contract) spends the same budget as POST /bookings', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 10, priceCents: 0 });
    const buyer = newUser('seed');
    for (const seat of [1, 2]) {
      const res = await send(stack.baseUrl, '/bookings', { eventId: event.id, userId: buyer, seatNumbers: [seat] });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
    for (const seatNumber of [3, 4]) {
      const res = await send(stack.baseUrl, `/events/${event.id}/book`, { userId: buyer, seatNumber });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
    const refused = await send(stack.baseUrl, `/events/${event.id}/book`, { userId: buyer, seatNumber: 5 });
    assertRateLimited(refused, 'per-user');
    assert.equal((await databaseSeats(stack.pool, event.id)).get(5), 'AVAILABLE');
  });

  test('a token’s user is who is counted: staff booking for many buyers spend their own budget', async () => {
    const token = await tokenFor(stack.env.jwtSecret, newUser('box-office'), 'staff');
    const headers = { authorization: `Bearer ${token}` };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await send(stack.baseUrl, '/bookings', unknownEventHold(newUser('customer')), headers)).status);
    }
    assert.deepEqual(statuses, [404, 404, 404, 404]);
    assertRateLimited(await send(stack.baseUrl, '/bookings', unknownEventHold(newUser('customer')), headers), 'per-user');
  });

  test('a burst of simultaneous requests from one buyer gets exactly the budget through', async () => {
    const buyer = newUser('burst');
    const results = await burst(20, () => send(stack.baseUrl, '/bookings', unknownEventHold(buyer)));
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [...Array(4).fill(404), ...Array(16).fill(429)]);
  });
});

describe('the per-address limit', () => {
  const stack = useTestStack({ worker: false, env: rateLimitEnv({ perUser: 2, perAddress: 5 }) });

  test('many buyers behind one address share its budget; a buyer stopped by the per-user limit spends none of it', async () => {
    const loop = newUser('loop');
    const first = await send(stack.baseUrl, '/bookings', unknownEventHold(loop));
    assert.equal(first.status, 404);
    assert.deepEqual([...policies(first.headers)], [['per-user', { q: 2, w: 60 }], ['per-address', { q: 5, w: 60 }]]);
    assert.equal(limits(first.headers).get('per-address')?.r, 4);
    assert.equal((await send(stack.baseUrl, '/bookings', unknownEventHold(loop))).status, 404);
    // User first: the looping buyer is refused by its own limit, before the address is counted.
    for (let i = 0; i < 3; i++) assertRateLimited(await send(stack.baseUrl, '/bookings', unknownEventHold(loop)), 'per-user');

    // Three more buyers behind the same address use up its other three requests...
    for (let i = 0; i < 3; i++) {
      const res = await send(stack.baseUrl, '/bookings', unknownEventHold(newUser('nat')));
      assert.equal(res.status, 404);
      assert.equal(limits(res.headers).get('per-address')?.r, 2 - i);
    }
    // ...and the next one, new as it is, is refused for the address.
    assertRateLimited(await send(stack.baseUrl, '/bookings', unknownEventHold(newUser('nat'))), 'per-address');
  });
});

describe('the default limits', () => {
  const defaults = readEnv();
  const stack = useTestStack({
    worker: false,
    env: rateLimitEnv({
      perUser: defaults.rateLimitPerUser,
      perAddress: defaults.rateLimitPerAddress,
      failedHolds: defaults.rateLimitFailedHolds,
    }),
  });

  test('300 buyers behind one address (a campus NAT) all get through, while one buyer is stopped after 30', async () => {
    const crowd = await burst(300, (i) => send(stack.baseUrl, '/bookings', unknownEventHold(`student-${i}-${randomUUID()}`)), 50);
    assert.deepEqual([...new Set(crowd.map((r) => r.status))], [404]);

    const bot = newUser('bot');
    const attempts = await burst(40, () => send(stack.baseUrl, '/bookings', unknownEventHold(bot)), 10);
    assert.equal(attempts.filter((r) => r.status === 404).length, 30);
    assert.equal(attempts.filter((r) => r.status === 429).length, 10);
  });
});

describe('limits set to 0', () => {
  const stack = useTestStack({ worker: false, env: rateLimitEnv({}) });

  test('are off: no 429 and no rate-limit headers', async () => {
    const buyer = newUser('unlimited');
    const results = await burst(50, () => send(stack.baseUrl, '/bookings', unknownEventHold(buyer)), 10);
    assert.deepEqual([...new Set(results.map((r) => r.status))], [404]);
    assert.equal(results[0].headers.get('RateLimit'), null);
    assert.equal(results[0].headers.get('RateLimit-Policy'), null);
  });
});

describe('the check-in limit', () => {
  const stack = useTestStack({ worker: false, env: rateLimitEnv({ perUser: 1, checkinPerUser: 3 }) });

  test('counts scans per staff user, apart from checkout, and answers 429 past it', async () => {
    const gate = { authorization: `Bearer ${await tokenFor(stack.env.jwtSecret, newUser('gate'), 'staff')}` };
    for (let i = 0; i < 3; i++) {
      const scan = await send(stack.baseUrl, '/checkin', { code: `not-a-ticket-${i}` }, gate);
      assert.equal(scan.status, 400, JSON.stringify(scan.body));
      assert.deepEqual(policies(scan.headers).get('per-user'), { q: 3, w: 60 });
    }
    assertRateLimited(await send(stack.baseUrl, '/checkin', { code: 'not-a-ticket-4' }, gate), 'per-user');
    // Another gate's user has its own budget.
    const otherGate = { authorization: `Bearer ${await tokenFor(stack.env.jwtSecret, newUser('gate'), 'staff')}` };
    assert.equal((await send(stack.baseUrl, '/checkin', { code: 'not-a-ticket-5' }, otherGate)).status, 400);
  });
});
