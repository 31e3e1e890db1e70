import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, test } from '@jest/globals';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker } from '@temporalio/worker';
import type { BookingResponse } from '../../api/presenters/booking';
import { cancellationWorkflowId } from '../../domain/taskQueue';
import { createEvent, holdSeats } from '../support/factories';
import { api } from '../support/http';
import { useTestStack } from '../support/stack';
import { newPaymentIntentId, payViaWebhook, sleepUntilPast, waitForBookingStatus } from './driveBooking';
import { historyFromJson } from './historyFile';

// Histories recorded from the booking workflow as it was before refunds and hold extensions
// (commit 5ddf554): workflows still running when a worker is upgraded must replay on the new code.
const HISTORIES_DIR = path.join(__dirname, 'histories');
// Array.from: fs answers with an array of Node's own realm, which strict deep equality in a jest test
// (another realm) would never find equal to a literal.
const v1Histories = Array.from(fs.readdirSync(HISTORIES_DIR))
  .filter((f) => f.startsWith('v1-') && f.endsWith('.json'))
  .sort();
const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, file), 'utf8'));
const readHistory = (file: string) => historyFromJson(readJson(file));

describe('workflow replay: the code is deterministic for old and new histories', () => {
  const stack = useTestStack();
  let workflowBundle: { code: string };
  beforeAll(() => {
    workflowBundle = { code: fs.readFileSync(process.env.SEATFLOW_TEST_WORKFLOW_BUNDLE ?? '', 'utf8') };
  });

  const replay = (history: unknown, workflowId: string) => Worker.runReplayHistory({ workflowBundle }, history, workflowId);
  const replayLive = async (workflowId: string) => {
    const handle = stack.temporal.workflow.getHandle(workflowId);
    await handle.result();
    await replay(await handle.fetchHistory(), workflowId);
  };

  test('has the recorded histories of the earlier booking workflow', () => {
    assert.deepEqual(v1Histories, [
      'v1-expired.json',
      'v1-late-payment-owed-back.json',
      'v1-paid.json',
      'v1-second-payment-owed-back.json',
    ]);
  });

  for (const file of v1Histories) {
    test(`replays ${file} (made before refunds existed) without a nondeterminism error`, async () => {
      await replay(readHistory(file), file);
    });
  }

  test('fails the replay of a history whose commands the code would not issue (the check is real)', async () => {
    const tampered = historyFromJson(JSON.parse(JSON.stringify(readJson('v1-late-payment-owed-back.json')).replace('"recordOwedBack"', '"confirmBooking"')));
    await assert.rejects(replay(tampered, 'tampered'), DeterminismViolationError);
  });

  test('replays new histories: an extended and paid hold, a late payment refunded, a cancellation saga', async () => {
    const event = await createEvent(stack.baseUrl, { priceCents: 500, holdSeconds: 2, startsAt: new Date(Date.now() + 7 * 86_400_000).toISOString() });

    const extended = await holdSeats(stack.baseUrl, event.id, [1]);
    const extension = await api(stack.baseUrl).post<BookingResponse>(`/bookings/${extended.id}/extend`, { seconds: 3 });
    assert.equal(extension.status, 200, JSON.stringify(extension.body));
    await payViaWebhook(stack, { bookingId: extended.id, amountCents: 500 });
    await waitForBookingStatus(stack, extended.id, 'CONFIRMED');

    const late = await holdSeats(stack.baseUrl, event.id, [2]);
    await stack.stopWorker();
    try {
      await sleepUntilPast(late.expiresAt ?? '', 500);
      await payViaWebhook(stack, { bookingId: late.id, amountCents: 500, paymentIntentId: newPaymentIntentId() });
    } finally {
      await stack.startWorker();
    }

    const cancelled = await api(stack.baseUrl).post<BookingResponse>(`/bookings/${extended.id}/cancel`);
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));

    await replayLive(extended.workflowId);
    await replayLive(late.workflowId);
    await replayLive(cancellationWorkflowId(extended.id));
  });
});
