import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import { assertError } from '../api/assertions';
import { io } from 'socket.io-client';
import { QueueEvents } from '../../domain/waitingRoomMessages';
import { tokenFor } from '../auth/authClient';
import { limits } from '../ratelimits/limitedClient';
import { createEvent } from '../support/factories';
import { useTestStack } from '../support/stack';
import { eventWithRoom, inOneHour, join, joined, newUser, readPlace, redisQueues } from './roomClient';

const redis = useTestStack({ env: redisQueues() });
const memory = useTestStack({ env: { redisUrl: undefined } });
const secured = useTestStack({ env: { ...redisQueues(), authRequired: true } });
const limited = useTestStack({ env: { ...redisQueues(), rateLimitPerUser: 3 } });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe.each([
  ['Redis', redis],
  ['in-process', memory],
])('POST /events/:id/queue (queues in %s)', (_kind, stack) => {
  test('returns 201 with a WAITING place, then 200 with the same place when the user joins again', async () => {
    const event = await eventWithRoom(stack.baseUrl);
    const userId = newUser();
    const first = await join(stack.baseUrl, event.id, userId);
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.match(first.body.queueId, UUID);
    assert.deepEqual(
      { ...first.body, queueId: 'id' },
      { queueId: 'id', eventId: event.id, userId, status: 'WAITING', position: 1, etaSeconds: 1, admissionToken: null, admittedUntil: null },
    );
    const again = await join(stack.baseUrl, event.id, userId);
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal(again.body.queueId, first.body.queueId);
  });

  test('places later arrivals behind earlier ones once the sale is open, with an ETA from admitPerMinute', async () => {
    const event = await eventWithRoom(stack.baseUrl, { admitPerMinute: 30 });
    const places = [];
    for (let i = 0; i < 3; i++) places.push(await joined(stack.baseUrl, event.id, newUser()));
    assert.deepEqual(places.map((p) => p.position), [1, 2, 3]);
    assert.deepEqual(places.map((p) => p.etaSeconds), [2, 4, 6]);
  });

  test('answers position null before onSaleAt', async () => {
    const event = await eventWithRoom(stack.baseUrl, { admitPerMinute: 60 }, { onSaleAt: inOneHour() });
    const place = await joined(stack.baseUrl, event.id, newUser());
    assert.equal(place.status, 'WAITING');
    assert.equal(place.position, null);
    assert.equal(place.etaSeconds, null);
    assert.equal((await readPlace(stack.baseUrl, event.id, place.queueId)).body.position, null);
  });

  test('gives one place to 200 concurrent joins by the same user', async () => {
    // One a minute: nobody is let in (and leaves the queue) while the test counts positions.
    const event = await eventWithRoom(stack.baseUrl, { admitPerMinute: 1 });
    const userId = newUser();
    const answers = await Promise.all(Array.from({ length: 200 }, () => join(stack.baseUrl, event.id, userId)));
    assert.deepEqual([...new Set(answers.map((a) => a.status))].sort(), [200, 201]);
    assert.equal(answers.filter((a) => a.status === 201).length, 1);
    assert.equal(new Set(answers.map((a) => a.body.queueId)).size, 1);
    const other = await joined(stack.baseUrl, event.id, newUser());
    assert.equal(other.position, 2, 'the racing joins took one place, so the next user is second');
  });

  test('returns 409 NO_WAITING_ROOM for an event without a room, 404 EVENT_NOT_FOUND for an unknown one', async () => {
    const plain = await createEvent(stack.baseUrl);
    assertError(await join(stack.baseUrl, plain.id, newUser()), 409, 'NO_WAITING_ROOM');
    assertError(await join(stack.baseUrl, randomUUID(), newUser()), 404, 'EVENT_NOT_FOUND');
    assertError(await join(stack.baseUrl, 'not-a-uuid', newUser()), 404, 'EVENT_NOT_FOUND');
  });

  test('returns 400 VALIDATION_FAILED without a userId (auth off) or with another field', async () => {
    const event = await eventWithRoom(stack.baseUrl);
    assertError(await join(stack.baseUrl, event.id), 400, 'VALIDATION_FAILED');
    const res = await fetch(`${stack.baseUrl}/events/${event.id}/queue`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: newUser(), position: 1 }),
    });
    assertError({ status: res.status, body: await res.json() }, 400, 'VALIDATION_FAILED');
  });
});

describe('GET /events/:id/queue/:queueId', () => {
  test('returns 200 with the place as joined', async () => {
    const event = await eventWithRoom(redis.baseUrl);
    const place = await joined(redis.baseUrl, event.id, newUser());
    const read = await readPlace(redis.baseUrl, event.id, place.queueId);
    assert.equal(read.status, 200);
    assert.deepEqual(read.body, place);
  });

  test('returns 404 QUEUE_PLACE_NOT_FOUND for an unknown id, a malformed one, and a place of another event', async () => {
    const event = await eventWithRoom(redis.baseUrl);
    const other = await eventWithRoom(redis.baseUrl);
    const place = await joined(redis.baseUrl, other.id, newUser());
    assertError(await readPlace(redis.baseUrl, event.id, randomUUID()), 404, 'QUEUE_PLACE_NOT_FOUND');
    assertError(await readPlace(redis.baseUrl, event.id, 'nope'), 404, 'QUEUE_PLACE_NOT_FOUND');
    assertError(await readPlace(redis.baseUrl, event.id, place.queueId), 404, 'QUEUE_PLACE_NOT_FOUND');
    assertError(await readPlace(redis.baseUrl, randomUUID(), place.queueId), 404, 'EVENT_NOT_FOUND');
  });
});

describe('with auth required', () => {
  const bearer = async (userId: string, role: 'buyer' | 'staff' = 'buyer') => ({
    authorization: `Bearer ${await tokenFor(secured.env.jwtSecret, userId, role)}`,
  });

  test("the place belongs to the token's user; another buyer reading it, over HTTP or Socket.IO, gets 404 QUEUE_PLACE_NOT_FOUND, staff 200", async () => {
    const staff = await bearer(newUser('staff'), 'staff');
    const created = await fetch(`${secured.baseUrl}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...staff },
      body: JSON.stringify({ name: 'Secured room', totalSeats: 5, waitingRoom: { admitPerMinute: 60 } }),
    });
    const event = (await created.json()) as { id: string };
    const owner = newUser();
    const joinedAs = await join(secured.baseUrl, event.id, undefined, await bearer(owner));
    assert.equal(joinedAs.status, 201, JSON.stringify(joinedAs.body));
    assert.equal(joinedAs.body.userId, owner);

    assert.equal((await readPlace(secured.baseUrl, event.id, joinedAs.body.queueId, await bearer(owner))).status, 200);
    assertError(await readPlace(secured.baseUrl, event.id, joinedAs.body.queueId, await bearer(newUser())), 404, 'QUEUE_PLACE_NOT_FOUND');
    assert.equal((await readPlace(secured.baseUrl, event.id, joinedAs.body.queueId, staff)).status, 200);

    assertError(await join(secured.baseUrl, event.id, newUser(), await bearer(owner)), 403, 'FORBIDDEN');
    assertError(await join(secured.baseUrl, event.id, owner), 401, 'UNAUTHENTICATED');
    // As for bookings (loadBookingFor): without a token, a place is as unknown as another buyer's.
    assertError(await readPlace(secured.baseUrl, event.id, joinedAs.body.queueId), 404, 'QUEUE_PLACE_NOT_FOUND');

    // The same rule over Socket.IO, with the token sent in the handshake.
    const token = async (userId: string) => tokenFor(secured.env.jwtSecret, userId, 'buyer');
    const watch = (eventId: string, queueId: string, auth?: { token: string }) =>
      new Promise<{ place?: { userId: string }; error?: string }>((resolve, reject) => {
        const socket = io(secured.baseUrl, { transports: ['websocket'], ...(auth ? { auth } : {}) });
        const done = (answer: { place?: { userId: string }; error?: string }) => {
          clearTimeout(timer);
          socket.close();
          resolve(answer);
        };
        const timer = setTimeout(() => {
          socket.close();
          reject(new Error('no answer to queue:subscribe within 10 s'));
        }, 10_000);
        socket.on('connect', () => socket.emit(QueueEvents.subscribe, { eventId, queueId }));
        socket.on(QueueEvents.place, (place: { userId: string }) => done({ place }));
        socket.on(QueueEvents.error, (err: { code: string }) => done({ error: err.code }));
      });
    const queueId = joinedAs.body.queueId;
    assert.equal((await watch(event.id, queueId, { token: await token(owner) })).place?.userId, owner);
    assert.deepEqual(await watch(event.id, queueId, { token: await token(newUser()) }), { error: 'QUEUE_PLACE_NOT_FOUND' });
    assert.deepEqual(await watch(event.id, queueId), { error: 'QUEUE_PLACE_NOT_FOUND' });
    assert.deepEqual(await watch(event.id, queueId, { token: 'not-a-token' }), { error: 'UNAUTHENTICATED' });
  });
});

describe('rate limit on joining', () => {
  test('returns 429 RATE_LIMITED with Retry-After and the RateLimit fields past the per-user budget', async () => {
    const event = await eventWithRoom(limited.baseUrl);
    const userId = newUser();
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 4; i++) {
      last = await fetch(`${limited.baseUrl}/events/${event.id}/queue`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId }),
      });
      statuses.push(last.status);
      if (i < 3) await last.text();
    }
    assert.deepEqual(statuses, [201, 200, 200, 429]);
    const body = (await last?.json()) as { code: string };
    assert.equal(body.code, 'RATE_LIMITED');
    assert.ok(Number(last?.headers.get('retry-after')) > 0);
    assert.equal(limits(last?.headers as Headers).get('per-user')?.r, 0);
  });
});
