import assert from 'node:assert/strict';
import { afterAll, describe, test } from '@jest/globals';
import type { bookingWorkflow } from '../../workflows';
import { createEvent, holdSeats } from '../support/factories';
import { useTestStack } from '../support/stack';
import { startWorkerProcess, type WorkerProcess } from '../support/workerProcess';
import { bookingRow, paymentsOf, seatsOf } from '../workflows/dbState';
import { newPaymentIntentId, payViaWebhook } from '../workflows/driveBooking';
import { lockBookingRow } from './rowLock';
import { seatChangesOf, ticketStatuses } from './paymentState';

describe('a worker killed between payment and confirmation', () => {
  const stack = useTestStack({ worker: false });
  let worker: WorkerProcess | undefined;
  afterAll(async () => {
    await worker?.kill();
  });

  test('the booking is confirmed exactly once by the worker started after it', async () => {
    worker = await startWorkerProcess(stack.env);
    const event = await createEvent(stack.baseUrl, { priceCents: 800 });
    const booking = await holdSeats(stack.baseUrl, event.id, [3, 4]);
    const handle = stack.temporal.workflow.getHandle<typeof bookingWorkflow>(booking.workflowId);

    // The payment arrives and the worker starts confirming: its transaction waits on our lock.
    const lock = await lockBookingRow(stack.pool, booking.id);
    const paymentIntentId = newPaymentIntentId();
    await payViaWebhook(stack, { bookingId: booking.id, amountCents: 1600, paymentIntentId });
    await lock.waitForWaiter();

    // Killed mid-confirmation: its transaction never commits.
    await worker.kill();
    await lock.release();
    assert.equal((await bookingRow(stack.pool, booking.id))?.status, 'HELD');
    assert.deepEqual(await paymentsOf(stack.pool, booking.id), []);

    // A new worker takes over once the lost attempt times out, and confirms.
    await stack.startWorker();
    const result = await handle.result();

    assert.equal(result.status, 'CONFIRMED');
    assert.equal(result.appliedPaymentId, paymentIntentId);
    assert.equal((await bookingRow(stack.pool, booking.id))?.status, 'CONFIRMED');
    assert.deepEqual(
      (await paymentsOf(stack.pool, booking.id)).map((p) => [p.paymentId, p.disposition]),
      [[paymentIntentId, 'APPLIED']],
    );
    assert.deepEqual(await ticketStatuses(stack.pool, booking.id), ['VALID', 'VALID']);
    assert.deepEqual(
      (await seatsOf(stack.pool, event.id)).filter((s) => s.bookingId === booking.id).map((s) => [s.seatNumber, s.status]),
      [
        [3, 'BOOKED'],
        [4, 'BOOKED'],
      ],
    );
    assert.deepEqual(await seatChangesOf(stack.pool, event.id, [3, 4]), [
      [3, 'HELD'], [4, 'HELD'],
      [3, 'BOOKED'], [4, 'BOOKED'],
    ]);
    // The history shows one confirmBooking, completed by a later attempt than the lost one.
    const { events } = await handle.fetchHistory();
    const scheduled = (events ?? []).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'confirmBooking');
    assert.equal(scheduled.length, 1);
    const attempts = (events ?? []).flatMap((e) => (e.activityTaskStartedEventAttributes ? [e.activityTaskStartedEventAttributes.attempt ?? 0] : []));
    assert.equal(attempts.length, 1);
    assert.ok(attempts[0] >= 2, `confirmBooking completed on attempt ${attempts[0]}`);
  });
});
