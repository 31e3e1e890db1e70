import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import { api } from '../support/http';
import { createEvent, eventually, holdSeats } from '../support/factories';
import { useTestStack } from '../support/stack';

describe('operator search: BookingStatus="HELD" AND EventId="..."', () => {
  const stack = useTestStack();

  const listWorkflowIds = async (query: string): Promise<string[]> => {
    const ids: string[] = [];
    for await (const execution of stack.temporal.workflow.list({ query })) ids.push(execution.workflowId);
    return ids.sort();
  };

  test('lists exactly the live holds of the event, not its confirmed, cancelled or rejected bookings nor other events', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 20, holdSeconds: 600 });
    const otherEvent = await createEvent(stack.baseUrl, { totalSeats: 20, holdSeconds: 600 });

    const heldA = await holdSeats(stack.baseUrl, event.id, [1, 2]);
    const heldB = await holdSeats(stack.baseUrl, event.id, [3]);
    const toConfirm = await holdSeats(stack.baseUrl, event.id, [4]);
    const toCancel = await holdSeats(stack.baseUrl, event.id, [5, 6]);
    await holdSeats(stack.baseUrl, otherEvent.id, [1]);

    const confirmed = await api(stack.baseUrl).post<{ status: string }>(`/bookings/${toConfirm.id}/confirm`, {
      paymentToken: 'tok_operator_query',
    });
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    assert.equal(confirmed.body.status, 'CONFIRMED');
    const cancelled = await api(stack.baseUrl).post<{ status: string }>(`/bookings/${toCancel.id}/cancel`);
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    assert.equal(cancelled.body.status, 'CANCELLED');
    const rejected = await api(stack.baseUrl).post<{ code: string }>('/bookings', {
      eventId: event.id,
      userId: 'late-buyer',
      seatNumbers: [2, 7],
    });
    assert.equal(rejected.status, 409);
    assert.equal(rejected.body.code, 'SEAT_UNAVAILABLE');

    const statuses = await stack.pool.query<{ status: string; n: number }>(
      'SELECT status, count(*) AS n FROM bookings WHERE event_id = $1 GROUP BY status ORDER BY status',
      [event.id],
    );
    assert.deepEqual(statuses.rows, [
      { status: 'CANCELLED', n: 1 },
      { status: 'CONFIRMED', n: 1 },
      { status: 'HELD', n: 2 },
      { status: 'REJECTED', n: 1 },
    ]);
    const heldInSql = await stack.pool.query<{ id: string }>(
      `SELECT id FROM bookings WHERE event_id = $1 AND status = 'HELD'`,
      [event.id],
    );
    const expected = heldInSql.rows.map((row) => `booking-${row.id}`).sort();
    assert.deepEqual(expected, [heldA.workflowId, heldB.workflowId].sort());

    // Visibility is eventually consistent: wait until the search answers with exactly the live holds.
    const query = `BookingStatus="HELD" AND EventId="${event.id}"`;
    let lastSeen: string[] = [];
    await eventually(
      async () => {
        lastSeen = await listWorkflowIds(query);
        return lastSeen.join() === expected.join() ? true : undefined;
      },
      20_000,
      `${query} to list exactly the live holds`,
    ).catch(() => assert.deepEqual(lastSeen, expected, `${query} never listed exactly the live holds`));

    // Every booking of the event is searchable by its current status, so the HELD list is exact, not lucky.
    const byStatus = async (status: string) => listWorkflowIds(`BookingStatus="${status}" AND EventId="${event.id}"`);
    await eventually(
      async () => {
        const [confirmedIds, cancelledIds, rejectedIds] = await Promise.all([
          byStatus('CONFIRMED'),
          byStatus('CANCELLED'),
          byStatus('REJECTED'),
        ]);
        return confirmedIds.join() === toConfirm.workflowId &&
          cancelledIds.join() === toCancel.workflowId &&
          rejectedIds.length === 1
          ? true
          : undefined;
      },
      20_000,
      'the settled bookings to be searchable by their final status',
    );
  }, 180_000);
});
