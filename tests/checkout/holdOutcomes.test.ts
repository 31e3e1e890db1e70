import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import { ApplicationFailure } from '@temporalio/common';
import { HoldOutcomes } from '../../activities/holdOutcomes';

const held = { kind: 'held' as const, result: { bookingId: 'b1', amountCents: 1000, expiresAt: '2026-12-01T00:00:00.000Z' } };

describe('HoldOutcomes', () => {
  test('delivers the first report for a watched booking, and the start of its attempt', async () => {
    const outcomes = new HoldOutcomes();
    const watch = outcomes.watch('b1');
    outcomes.attemptStarted('b1');
    await watch.started;
    outcomes.report('b1', held);
    outcomes.report('b1', { kind: 'retrying' });
    assert.deepEqual(await watch.outcome, held);
    watch.dispose();
    assert.equal(outcomes.size, 0);
  });

  test('drops reports for bookings nobody here watches, and after the watch is disposed', async () => {
    const outcomes = new HoldOutcomes();
    outcomes.report('elsewhere', held);
    assert.equal(outcomes.size, 0);
    const watch = outcomes.watch('b2');
    watch.dispose();
    outcomes.report('b2', { kind: 'refused', failure: ApplicationFailure.nonRetryable('taken', 'SEAT_UNAVAILABLE') });
    const settled = await Promise.race([watch.outcome.then(() => true), new Promise((r) => setTimeout(() => r(false), 50))]);
    assert.equal(settled, false);
  });
});
