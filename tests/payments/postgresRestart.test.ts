import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from '@jest/globals';
import type { bookingWorkflow } from '../../workflows';
import { createEvent, holdSeats } from '../support/factories';
import { startPrivatePostgres, type PrivatePostgres } from '../support/privatePostgres';
import { startTestStack, type TestStack } from '../support/stack';
import { bookingRow, paymentsOf, seatsOf } from '../workflows/dbState';
import { newPaymentIntentId, payViaWebhook } from '../workflows/driveBooking';
import { lockBookingRow } from './rowLock';
import { seatChangesOf, ticketStatuses } from './paymentState';

describe('PostgreSQL restarted during a confirmation', () => {
  let postgres: PrivatePostgres;
  let stack: TestStack;
  // Not useTestStack(): this stack runs on a PostgreSQL of its own, which must outlive it.
  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    stack = await startTestStack({ env: { databaseUrl: postgres.databaseUrl } });
  });
  afterAll(async () => {
    await stack?.stop();
    await postgres?.destroy();
  });

  test('the confirmation is retried until the database is back and has one result', async () => {
    const event = await createEvent(stack.baseUrl, { priceCents: 450 });
    const booking = await holdSeats(stack.baseUrl, event.id, [5]);
    const handle = stack.temporal.workflow.getHandle<typeof bookingWorkflow>(booking.workflowId);

    // The confirm activity is inside its transaction (waiting on our lock) when the server goes down.
    const lock = await lockBookingRow(stack.pool, booking.id);
    const paymentIntentId = newPaymentIntentId();
    await payViaWebhook(stack, { bookingId: booking.id, amountCents: 450, paymentIntentId });
    await lock.waitForWaiter();

    await postgres.stop();
    await lock.release();
    // Down long enough for the activity to fail against it and be retried.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await postgres.start();

    const result = await handle.result();
    assert.equal(result.status, 'CONFIRMED');
    assert.equal(result.appliedPaymentId, paymentIntentId);
    assert.equal((await bookingRow(stack.pool, booking.id))?.status, 'CONFIRMED');
    assert.deepEqual(
      (await paymentsOf(stack.pool, booking.id)).map((p) => [p.paymentId, p.amountCents, p.disposition]),
      [[paymentIntentId, 450, 'APPLIED']],
    );
    assert.deepEqual(await ticketStatuses(stack.pool, booking.id), ['VALID']);
    assert.deepEqual(
      (await seatsOf(stack.pool, event.id)).filter((s) => s.seatNumber === 5).map((s) => [s.status, s.bookingId]),
      [['BOOKED', booking.id]],
    );
    assert.deepEqual(await seatChangesOf(stack.pool, event.id, [5]), [
      [5, 'HELD'],
      [5, 'BOOKED'],
    ]);
    const { events } = await handle.fetchHistory();
    const attempts = (events ?? []).flatMap((e) =>
      e.activityTaskStartedEventAttributes && e.activityTaskStartedEventAttributes.attempt ? [e.activityTaskStartedEventAttributes.attempt] : [],
    );
    assert.equal(attempts.length, 1, 'one confirmBooking activity');
    assert.ok(attempts[0] >= 2, `confirmBooking completed on attempt ${attempts[0]}: the failed tries are not in the result`);
  });
});
