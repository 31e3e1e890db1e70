import assert from 'node:assert/strict';
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { BookingState } from '../../domain/booking';
import { statusQuery } from '../../domain/messages';
import { createPaymentProvider } from '../../payments/createPaymentProvider';
import { createBookingWorker } from '../../worker/createBookingWorker';
import { assertError } from '../api/assertions';
import { createEvent, eventually } from '../support/factories';
import { api } from '../support/http';
import { useTestStack } from '../support/stack';
import { presentBooking } from '../../api/presenters/booking';
import { createVenueEvent, THEATRE } from '../venues/venueFixtures';
import { checkout } from './checkoutClient';

const workflowBundle = () => ({ code: fs.readFileSync(process.env.SEATFLOW_TEST_WORKFLOW_BUNDLE ?? '', 'utf8') });
const buyer = () => `buyer-${randomUUID().slice(0, 8)}`;

describe('POST /bookings with the booking worker inside the API (eager start)', () => {
  const stack = useTestStack({ workerInApi: true });
  const paths = () => {
    const local = stack.localWorker;
    if (!local) throw new Error('this stack has no worker in the API');
    return { ...local.paths };
  };
  const workflowState = (workflowId: string) => stack.temporal.workflow.getHandle(workflowId).query(statusQuery);

  test('answers 201 HELD from the hold that ran in this process, as the workflow and the database record it', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 10, priceCents: 1500 });
    const before = paths();
    const answer = await checkout(stack.baseUrl, { eventId: event.id, userId: buyer(), seatNumbers: [1, 2] });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    assert.equal(paths().answeredLocally, before.answeredLocally + 1, 'the answer did not come from the local hold');
    const booking = answer.body;
    assert.equal(booking.status, 'HELD');
    assert.equal(booking.amountCents, 3000);
    const stored = (await api(stack.baseUrl).get<BookingState>(`/bookings/${booking.id}`)).body;
    assert.equal(stored.status, 'HELD');
    assert.equal(stored.expiresAt, booking.expiresAt);
    const state = await workflowState(booking.workflowId);
    assert.equal(state.status, 'HELD');
    assert.equal(state.expiresAt, booking.expiresAt);
    assert.equal(stack.localWorker?.holdOutcomes.size, 0, 'a watch was left behind');
  });

  test('answers 409 SEAT_UNAVAILABLE from the local refusal, naming the seats, and the workflow ends REJECTED', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 10 });
    assert.equal((await checkout(stack.baseUrl, { eventId: event.id, userId: buyer(), seatNumbers: [5] })).status, 201);
    const before = paths();
    const refused = await checkout(stack.baseUrl, { eventId: event.id, userId: buyer(), seatNumbers: [5, 6] });
    const body = assertError(refused, 409, 'SEAT_UNAVAILABLE');
    assert.deepEqual([...(body.details?.seats ?? [])], [5]);
    assert.equal(paths().answeredLocally, before.answeredLocally + 1);
    const { rows } = await stack.pool.query<{ id: string }>(
      `SELECT id FROM bookings WHERE event_id = $1 AND status = 'REJECTED'`,
      [event.id],
    );
    assert.equal(rows.length, 1);
    const final = await stack.temporal.workflow.getHandle(`booking-${rows[0].id}`).result();
    assert.equal(final.status, 'REJECTED');
  });

  test('answers best-available and GA holds with the seats the hold picked, as the workflow records them', async () => {
    const event = await createVenueEvent(stack.baseUrl, THEATRE);
    for (const pick of [{ quantity: 2 }, { area: 'Floor', quantity: 3 }]) {
      const before = paths();
      const res = await api(stack.baseUrl).post<BookingState>('/bookings', { eventId: event.id, userId: buyer(), ...pick });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(paths().answeredLocally, before.answeredLocally + 1);
      const recorded = presentBooking(await workflowState(res.body.workflowId));
      assert.deepEqual(JSON.parse(JSON.stringify(res.body)), JSON.parse(JSON.stringify(recorded)), 'the eager answer differs from the workflow');
    }
  });

  test('keeps Idempotency-Key semantics: concurrent retries share one booking, a later retry replays it', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 10 });
    const request = { eventId: event.id, userId: buyer(), seatNumbers: [7, 8] };
    const key = { 'Idempotency-Key': `key-${randomUUID()}` };
    const answers = await Promise.all(Array.from({ length: 20 }, () => checkout(stack.baseUrl, request, key)));
    for (const answer of answers) assert.equal(answer.status, 201, JSON.stringify(answer.body));
    assert.equal(new Set(answers.map((a) => a.body.id)).size, 1);
    const later = await checkout(stack.baseUrl, request, key);
    assert.equal(later.status, 201);
    assert.equal(later.body.id, answers[0].body.id);
    assertError(await checkout(stack.baseUrl, { ...request, seatNumbers: [9] }, key), 422, 'IDEMPOTENCY_KEY_REUSED');
    const { rows } = await stack.pool.query('SELECT status FROM bookings WHERE event_id = $1', [event.id]);
    assert.deepEqual(rows, [{ status: 'HELD' }]);
  });

  test('a hold attempt that fails and is retried still answers the real HELD, asked of the workflow', async () => {
    // With a per-buyer limit, hold_seats takes an advisory lock on (event, buyer) first: holding it
    // here parks the hold, whose connection is then killed, failing that attempt (a transient error).
    const event = await createEvent(stack.baseUrl, { totalSeats: 10, maxSeatsPerBuyer: 4 });
    const userId = buyer();
    const blocker = await stack.pool.connect();
    const before = paths();
    let pending: Promise<Awaited<ReturnType<typeof checkout>>> | undefined;
    try {
      await blocker.query('SELECT pg_advisory_lock(hashtext($1), hashtext($2))', [event.id, userId]);
      pending = checkout(stack.baseUrl, { eventId: event.id, userId, seatNumbers: [3] });
      const pid = await eventually(async () => {
        const { rows } = await stack.pool.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory' AND pid <> pg_backend_pid()`,
        );
        return rows[0]?.pid;
      }, 10_000, 'the hold waiting on the lock');
      await stack.pool.query('SELECT pg_terminate_backend($1)', [pid]);
    } finally {
      await blocker.query('SELECT pg_advisory_unlock(hashtext($1), hashtext($2))', [event.id, userId]);
      blocker.release();
    }
    const answer = await pending;
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    assert.equal(answer.body.status, 'HELD');
    assert.equal(paths().eagerAskedWorkflow, before.eagerAskedWorkflow + 1, 'the failed attempt was not noticed');
    const state = await workflowState(answer.body.workflowId);
    assert.equal(state.expiresAt, answer.body.expiresAt);
    const { rows } = await stack.pool.query('SELECT status FROM bookings WHERE event_id = $1', [event.id]);
    assert.deepEqual(rows, [{ status: 'HELD' }]);
  });

  test('a booking held eagerly is still served after the API node’s worker restarts, and its history replays', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 10 });
    const answer = await checkout(stack.baseUrl, { eventId: event.id, userId: buyer(), seatNumbers: [4] });
    assert.equal(answer.status, 201);
    await stack.stopWorker();
    await stack.startWorker();
    // The restarted worker has no cached state: it replays the history the eager task wrote, then cancels.
    const cancelled = await api(stack.baseUrl).post<BookingState>(`/bookings/${answer.body.id}/cancel`, {});
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    assert.equal(cancelled.body.status, 'CANCELLED');
    const handle = stack.temporal.workflow.getHandle(answer.body.workflowId);
    await handle.result();
    await Worker.runReplayHistory({ workflowBundle: workflowBundle() }, await handle.fetchHistory(), answer.body.workflowId);
    const { rows } = await stack.pool.query(`SELECT count(*)::int AS held FROM seats WHERE event_id = $1 AND status <> 'AVAILABLE'`, [event.id]);
    assert.deepEqual(rows, [{ held: 0 }]);
  });

  test('falls back to update-with-start when the start is not eager (no worker here), served by a separate worker', async () => {
    await stack.stopWorker();
    const connection = await NativeConnection.connect({ address: stack.env.temporalAddress });
    const separate = await createBookingWorker({
      connection,
      namespace: stack.env.temporalNamespace,
      taskQueue: stack.env.taskQueue,
      pool: stack.pool,
      payments: createPaymentProvider(stack.env, stack.pool),
      workflowBundle: workflowBundle(),
    });
    try {
      await separate.runUntil(async () => {
        const event = await createEvent(stack.baseUrl, { totalSeats: 10 });
        const before = paths();
        const answer = await checkout(stack.baseUrl, { eventId: event.id, userId: buyer(), seatNumbers: [1] });
        assert.equal(answer.status, 201, JSON.stringify(answer.body));
        assert.equal(answer.body.status, 'HELD');
        assert.equal(paths().notEager, before.notEager + 1, 'the start was not reported as not eager');
      });
    } finally {
      await connection.close();
      await stack.startWorker();
    }
  });
});
