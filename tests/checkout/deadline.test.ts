import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, test } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
import { bookingWorkflowId } from '../../domain/taskQueue';
import { startApiServer, type ApiServer } from '../../api/server';
import { fenceCheckout, holdSeats } from '../../db/queries/holds';
import { createPaymentProvider } from '../../payments/createPaymentProvider';
import { assertError } from '../api/assertions';
import { createEvent, eventually } from '../support/factories';
import { useTestStack } from '../support/stack';
import { checkout } from './checkoutClient';

const DEADLINE_MS = 1_500;

async function seatsOf(stack: { pool: import('../../db/pool').Pool }, eventId: string) {
  const { rows } = await stack.pool.query<{ seat_number: number; status: string }>(
    'SELECT seat_number, status FROM seats WHERE event_id = $1 ORDER BY seat_number',
    [eventId],
  );
  return rows;
}

describe('POST /bookings when no worker picks up the booking', () => {
  // No worker: Temporal accepts the start, but nothing runs the hold until the test starts one.
  const stack = useTestStack({ worker: false, env: { checkoutDeadlineMs: DEADLINE_MS } });

  test('answers 503 TEMPORAL_UNAVAILABLE with Retry-After at the deadline, and the hold that runs later holds nothing', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 5 });
    const answer = await checkout(stack.baseUrl, { eventId: event.id, userId: 'late-buyer', seatNumbers: [1, 2] });
    const body = assertError(answer, 503, 'TEMPORAL_UNAVAILABLE');
    assert.equal(answer.retryAfter, '5');
    assert.ok(answer.elapsedMs >= DEADLINE_MS - 50 && answer.elapsedMs < DEADLINE_MS + 5_000, `answered after ${answer.elapsedMs} ms`);
    const bookingId = (body as typeof answer.body).details?.bookingId;
    assert.ok(bookingId, 'the 503 names the booking id, so the buyer can look it up');

    // The workflow was started; once a worker runs it, its hold finds the fence and holds nothing.
    await stack.startWorker();
    try {
      const handle = stack.temporal.workflow.getHandle(bookingWorkflowId(bookingId));
      const final = await handle.result();
      assert.equal(final.status, 'REJECTED');
      const { rows } = await stack.pool.query('SELECT status, rejection_reason FROM bookings WHERE id = $1', [bookingId]);
      assert.deepEqual(rows, [{ status: 'REJECTED', rejection_reason: 'DEADLINE_PASSED' }]);
      assert.ok((await seatsOf(stack, event.id)).every((s) => s.status === 'AVAILABLE'), 'a seat is held for a buyer told 503');
    } finally {
      await stack.stopWorker();
    }
  });

  test('a retry with the same Idempotency-Key after the 503 answers 409 CHECKOUT_TIMED_OUT; a new key holds the seats', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 5 });
    const request = { eventId: event.id, userId: `buyer-${randomUUID().slice(0, 8)}`, seatNumbers: [3] };
    const key = { 'Idempotency-Key': `key-${randomUUID()}` };
    assertError(await checkout(stack.baseUrl, request, key), 503, 'TEMPORAL_UNAVAILABLE');
    await stack.startWorker();
    try {
      assertError(await checkout(stack.baseUrl, request, key), 409, 'CHECKOUT_TIMED_OUT');
      const fresh = await checkout(stack.baseUrl, request, { 'Idempotency-Key': `key-${randomUUID()}` });
      assert.equal(fresh.status, 201, JSON.stringify(fresh.body));
      assert.equal(fresh.body.status, 'HELD');
    } finally {
      await stack.stopWorker();
    }
  });

  test('the in-flight bound answers 503 BUSY with Retry-After at once, and the refused request holds nothing', async () => {
    // This stack's bound is the default; a second API node on the same services with a bound of 2.
    const server = await startApiServer({
      env: { ...stack.env, host: '127.0.0.1', port: 0, maxCheckoutsInFlight: 2 },
      pool: stack.pool,
      temporal: stack.temporal,
      payments: createPaymentProvider(stack.env, stack.pool),
    });
    try {
      const event = await createEvent(server.url, { totalSeats: 5 });
      const waiting = [1, 2].map((seat) => checkout(server.url, { eventId: event.id, userId: `u${seat}`, seatNumbers: [seat] }));
      await eventually(async () => (server.checkouts.inFlight === 2 ? true : undefined), 5_000, 'two checkouts in flight');
      const refused = await checkout(server.url, { eventId: event.id, userId: 'u3', seatNumbers: [3] });
      assertError(refused, 503, 'BUSY');
      assert.equal(refused.retryAfter, '2');
      assert.ok(refused.elapsedMs < DEADLINE_MS, `BUSY took ${refused.elapsedMs} ms`);
      for (const answer of await Promise.all(waiting)) assertError(answer, 503, 'TEMPORAL_UNAVAILABLE');
      const { rows } = await stack.pool.query<{ user_id: string }>('SELECT user_id FROM bookings WHERE event_id = $1 ORDER BY user_id', [event.id]);
      assert.deepEqual(rows.map((r) => r.user_id), ['u1', 'u2'], 'the refused request reached the database');
      // And the node takes checkouts again once the slots are free.
      assert.equal(server.checkouts.inFlight, 0);
    } finally {
      await server.close();
    }
  });
});

describe('POST /bookings when the Temporal frontend does not answer at all', () => {
  const stack = useTestStack({ worker: false, env: { checkoutDeadlineMs: DEADLINE_MS } });
  let blackhole: net.Server;
  let sockets: net.Socket[] = [];
  let server: ApiServer;
  let connection: Connection;

  beforeAll(async () => {
    // Accepts TCP connections and never says a word: a frontend behind a dead load balancer.
    blackhole = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => blackhole.listen(0, '127.0.0.1', resolve));
    const { port } = blackhole.address() as AddressInfo;
    connection = Connection.lazy({ address: `127.0.0.1:${port}` });
    server = await startApiServer({
      env: { ...stack.env, host: '127.0.0.1', port: 0 },
      pool: stack.pool,
      temporal: new Client({ connection, namespace: stack.env.temporalNamespace }),
      payments: createPaymentProvider(stack.env, stack.pool),
    });
  });

  afterAll(async () => {
    await server?.close();
    await connection?.close().catch(() => undefined);
    for (const socket of sockets) socket.destroy();
    sockets = [];
    await new Promise((resolve) => blackhole?.close(resolve));
  });

  test('answers 503 TEMPORAL_UNAVAILABLE within the deadline instead of hanging, holding nothing', async () => {
    const event = await createEvent(server.url, { totalSeats: 5 });
    const answer = await checkout(server.url, { eventId: event.id, userId: 'stranded', seatNumbers: [1] });
    assertError(answer, 503, 'TEMPORAL_UNAVAILABLE');
    assert.equal(answer.retryAfter, '5');
    assert.ok(answer.elapsedMs < DEADLINE_MS + 5_000, `answered after ${answer.elapsedMs} ms`);
    assert.ok((await seatsOf(stack, event.id)).every((s) => s.status === 'AVAILABLE'));
    const { rows } = await stack.pool.query('SELECT status, rejection_reason FROM bookings WHERE event_id = $1', [event.id]);
    assert.deepEqual(rows, [{ status: 'REJECTED', rejection_reason: 'DEADLINE_PASSED' }]);
  });
});

describe('the hold deadline in the database', () => {
  const stack = useTestStack({ worker: false });

  const holdRequest = (eventId: string, seatNumbers: number[], holdBy: string | null) => ({
    bookingId: randomUUID(),
    eventId,
    userId: `buyer-${randomUUID().slice(0, 8)}`,
    seatNumbers,
    expiresAt: new Date(Date.now() + 60_000).toISOString(),
    idempotencyKey: null,
    holdBy,
  });

  test('refuses a hold after its deadline by the database clock, holding nothing, and answers the same on retry', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 5 });
    const late = holdRequest(event.id, [1, 2], new Date(Date.now() - 1_000).toISOString());
    assert.deepEqual(await holdSeats(stack.pool, late), { kind: 'deadline' });
    assert.deepEqual(await holdSeats(stack.pool, { ...late, holdBy: null }), { kind: 'deadline' }, 'a retried hold changed its answer');
    assert.ok((await seatsOf(stack, event.id)).every((s) => s.status === 'AVAILABLE'));
  });

  test('holds before the deadline, and the fence then leaves the hold alone', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 5 });
    const onTime = holdRequest(event.id, [3], new Date(Date.now() + 60_000).toISOString());
    assert.equal((await holdSeats(stack.pool, onTime)).kind, 'held');
    assert.equal(await fenceCheckout(stack.pool, onTime), 'decided');
    const { rows } = await stack.pool.query('SELECT status FROM bookings WHERE id = $1', [onTime.bookingId]);
    assert.deepEqual(rows, [{ status: 'HELD' }]);
  });

  test('a fenced booking id is never held later, whatever its deadline', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 5 });
    const fenced = holdRequest(event.id, [4], null);
    assert.equal(await fenceCheckout(stack.pool, fenced), 'fenced');
    assert.equal(await fenceCheckout(stack.pool, fenced), 'fenced', 'fencing twice changed its answer');
    assert.deepEqual(await holdSeats(stack.pool, fenced), { kind: 'deadline' });
    assert.ok((await seatsOf(stack, event.id)).every((s) => s.status === 'AVAILABLE'));
  });
});
