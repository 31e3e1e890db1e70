import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import { backoffDelayMs, RestartSchedule, type BackoffPolicy } from '../../scripts/stack/supervise';

const policy: BackoffPolicy = { initialMs: 500, factor: 2, maxMs: 30_000, stableMs: 60_000 };

describe('backoffDelayMs', () => {
  test('doubles from the initial wait with each consecutive failure', () => {
    assert.deepEqual([1, 2, 3, 4, 5].map((n) => backoffDelayMs(n, policy)), [500, 1_000, 2_000, 4_000, 8_000]);
  });

  test('never waits longer than the cap, however many failures', () => {
    assert.equal(backoffDelayMs(7, policy), 30_000);
    assert.equal(backoffDelayMs(10_000, policy), 30_000);
  });

  test('waits nothing before any failure', () => {
    assert.equal(backoffDelayMs(0, policy), 0);
  });
});

describe('RestartSchedule', () => {
  test('a part that keeps dying at once waits longer each time, up to the cap', () => {
    const schedule = new RestartSchedule(policy);
    const waits = Array.from({ length: 8 }, () => schedule.afterExit(100));
    assert.deepEqual(waits, [500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });

  test('a part that ran stably before dying is restarted after the initial wait again', () => {
    const schedule = new RestartSchedule(policy);
    schedule.afterExit(100);
    schedule.afterExit(100);
    assert.equal(schedule.afterExit(100), 2_000);
    assert.equal(schedule.afterExit(60_000), 500);
    assert.equal(schedule.consecutiveFailures, 1);
  });
});
