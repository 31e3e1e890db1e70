import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import { diagnostic } from '../support/testHooks';
import type { WorkflowExecutionInfo } from '@temporalio/client';
import type { BookingResponse } from '../../api/presenters/booking';
import { api } from '../support/http';
import { createEvent, eventually } from '../support/factories';
import { useTestStack } from '../support/stack';
import { burst, statusCounts } from './burst';

describe('POST /bookings retried concurrently with one Idempotency-Key', () => {
  const stack = useTestStack();

  test('50 simultaneous retries all answer 201 with one booking, one row and one workflow', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 10, holdSeconds: 600 });
    const userId = `retrying-buyer-${randomUUID().slice(0, 8)}`;
    const idempotencyKey = `checkout-${randomUUID()}`;
    const retries = 50;

    const started = Date.now();
    const answers = await burst(retries, () =>
      api(stack.baseUrl).post<BookingResponse>(
        '/bookings',
        { eventId: event.id, userId, seatNumbers: [3, 4] },
        { 'Idempotency-Key': idempotencyKey },
      ),
    );
    diagnostic(`${retries} retries answered in ${Date.now() - started} ms: ${JSON.stringify(statusCounts(answers.map((a) => a.status)))}`);

    for (const answer of answers) assert.equal(answer.status, 201, JSON.stringify(answer.body));
    const ids = new Set(answers.map((a) => a.body.id));
    assert.equal(ids.size, 1, `answers name ${ids.size} different bookings`);
    const [booking] = answers.map((a) => a.body);
    assert.equal(booking.status, 'HELD');
    assert.deepEqual(booking.seatNumbers, [3, 4]);

    const rows = await stack.pool.query<{ id: string; status: string; seat_numbers: number[] }>(
      'SELECT id, status, seat_numbers FROM bookings WHERE event_id = $1',
      [event.id],
    );
    assert.deepEqual(rows.rows, [{ id: booking.id, status: 'HELD', seat_numbers: [3, 4] }]);
    const seats = await stack.pool.query<{ seat_number: number; booking_id: string }>(
      `SELECT seat_number, booking_id FROM seats WHERE event_id = $1 AND status = 'HELD' ORDER BY seat_number`,
      [event.id],
    );
    assert.deepEqual(seats.rows, [
      { seat_number: 3, booking_id: booking.id },
      { seat_number: 4, booking_id: booking.id },
    ]);

    // One workflow execution: every run under this workflow id (open or closed), and for the whole event.
    const { runId } = await stack.temporal.workflow.getHandle(booking.workflowId).describe();
    const list = async (query: string) => {
      const executions: WorkflowExecutionInfo[] = [];
      for await (const execution of stack.temporal.workflow.list({ query })) executions.push(execution);
      return executions;
    };
    const runs = await eventually(
      async () => {
        const found = await list(`EventId="${event.id}"`);
        return found.some((e) => e.runId === runId) ? found : undefined;
      },
      20_000,
      'the booking workflow to be visible',
    );
    assert.deepEqual(
      runs.map((e) => [e.workflowId, e.runId]),
      [[booking.workflowId, runId]],
    );
    const sameId = await list(`WorkflowId="${booking.workflowId}"`);
    assert.equal(sameId.length, 1, `${sameId.length} runs under ${booking.workflowId}`);
  }, 180_000);
});
