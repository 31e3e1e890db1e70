import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import { burst } from '../concurrency/burst';
import { databaseSeats, range } from '../realtime/seatMapDb';
import { createEvent, holdSeats } from '../support/factories';
import { useTestStack } from '../support/stack';
import { assertRateLimited, limits, policies, rateLimitEnv, send } from './limitedClient';

const newUser = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;

describe('seat probing: holds that fail because the seats were taken', () => {
  // The per-user request limit is high, so only the failed-holds budget (3) is in play.
  const stack = useTestStack({ env: rateLimitEnv({ perUser: 1000, failedHolds: 3 }) });

  /** An event whose seats 1..taken are held by someone else. */
  async function eventWithTakenSeats(taken: number, options: Record<string, unknown> = {}) {
    const event = await createEvent(stack.baseUrl, { totalSeats: 40, holdSeconds: 600, maxSeatsPerBooking: 20, ...options });
    await holdSeats(stack.baseUrl, event.id, range(1, taken), newUser('earlier'));
    return event;
  }

  test('a prober is refused with 429 after its budget of failed holds, before the next hold is tried: nothing is held', async () => {
    const event = await eventWithTakenSeats(10);
    const prober = newUser('prober');
    const left: number[] = [];
    for (const seat of [1, 2, 3]) {
      const res = await send(stack.baseUrl, '/bookings', { eventId: event.id, userId: prober, seatNumbers: [seat] });
      assert.equal(res.status, 409, JSON.stringify(res.body));
      assert.deepEqual(policies(res.headers).get('failed-holds'), { q: 3, w: 60 });
      left.push(limits(res.headers).get('failed-holds')?.r ?? -1);
    }
    assert.deepEqual(left, [2, 1, 0]);

    // Even a free seat is now refused, and stays free.
    const refused = await send(stack.baseUrl, '/bookings', { eventId: event.id, userId: prober, seatNumbers: [30] });
    assertRateLimited(refused, 'failed-holds');
    assert.equal((await databaseSeats(stack.pool, event.id)).get(30), 'AVAILABLE');
  });

  test('a buyer who loses a race or two and then holds seats is never slowed: successful holds do not count', async () => {
    const event = await eventWithTakenSeats(2);
    const buyer = newUser('buyer');
    for (const seat of [1, 2]) {
      const lost = await send(stack.baseUrl, '/bookings', { eventId: event.id, userId: buyer, seatNumbers: [seat] });
      assert.equal(lost.status, 409, JSON.stringify(lost.body));
    }
    for (const seat of range(3, 12)) {
      const held = await send(stack.baseUrl, '/bookings', { eventId: event.id, userId: buyer, seatNumbers: [seat] });
      assert.equal(held.status, 201, JSON.stringify(held.body));
      // Each hold reserved a failed hold and gave it back: one is still left.
      assert.equal(limits(held.headers).get('failed-holds')?.r, 1);
    }
  });

  test('probing in parallel gets no more failures through than the budget', async () => {
    const event = await eventWithTakenSeats(20);
    const prober = newUser('parallel');
    const results = await burst(20, (i) => send(stack.baseUrl, '/bookings', { eventId: event.id, userId: prober, seatNumbers: [i + 1] }));
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 409).length, 3, `statuses: ${statuses.join(', ')}`);
    assert.equal(statuses.filter((s) => s === 429).length, 17, `statuses: ${statuses.join(', ')}`);
  });

  test('the seed contract’s SEAT_ALREADY_BOOKED counts as a failed hold too', async () => {
    const event = await eventWithTakenSeats(5, { priceCents: 0 });
    const prober = newUser('seed-prober');
    for (const seatNumber of [1, 2, 3]) {
      const res = await send(stack.baseUrl, `/events/${event.id}/book`, { userId: prober, seatNumber });
      assert.equal(res.status, 409, JSON.stringify(res.body));
      assert.equal((res.body as { code: string }).code, 'SEAT_ALREADY_BOOKED');
    }
    assertRateLimited(await send(stack.baseUrl, `/events/${event.id}/book`, { userId: prober, seatNumber: 30 }), 'failed-holds');
    assert.equal((await databaseSeats(stack.pool, event.id)).get(30), 'AVAILABLE');
  });

  test('other refusals (an unknown event, a seat that does not exist) are not failed holds', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 5 });
    const buyer = newUser('typo');
    for (let i = 0; i < 5; i++) {
      assert.equal((await send(stack.baseUrl, '/bookings', { eventId: randomUUID(), userId: buyer, seatNumbers: [1] })).status, 404);
      assert.equal((await send(stack.baseUrl, '/bookings', { eventId: event.id, userId: buyer, seatNumbers: [99] })).status, 400);
    }
    assert.equal((await send(stack.baseUrl, '/bookings', { eventId: event.id, userId: buyer, seatNumbers: [1] })).status, 201);
  });
});
