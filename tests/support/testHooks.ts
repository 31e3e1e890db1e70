/**
 * Per-test clean-up and notes, which jest does not offer itself: `afterThisTest(fn)` runs `fn` once
 * the current test ends, passed or failed (jestSetup.ts drains them in an afterEach), and
 * `diagnostic(line)` prints a figure a test measured, without jest's console stack trace.
 */
import { expect } from '@jest/globals';

type Cleanup = () => unknown;

const pending: Cleanup[] = [];

export function afterThisTest(cleanup: Cleanup): void {
  pending.push(cleanup);
}

/** Runs the current test's clean-ups, last registered first; every one runs even if another fails. */
export async function runTestCleanups(): Promise<void> {
  const failures: unknown[] = [];
  for (let cleanup = pending.pop(); cleanup; cleanup = pending.pop()) {
    try {
      await cleanup();
    } catch (err) {
      failures.push(err);
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, 'a test clean-up failed');
}

export function diagnostic(line: string): void {
  const name = expect.getState().currentTestName ?? 'test';
  process.stdout.write(`  ℹ ${name}: ${line}\n`);
}
