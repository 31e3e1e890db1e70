/**
 * When to restart a part that died: capped exponential back-off, forgiven once the part has run
 * long enough to count as healthy again. Pure (no clock, no processes), so it is unit-tested alone;
 * supervisedChild.ts applies it to child processes.
 */
export interface BackoffPolicy {
  /** Wait before the first restart. */
  initialMs: number;
  /** Each further consecutive restart waits this many times longer... */
  factor: number;
  /** ...but never longer than this. */
  maxMs: number;
  /** A part that ran at least this long before dying starts again from `initialMs`. */
  stableMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 500, factor: 2, maxMs: 30_000, stableMs: 60_000 };

/** The wait before restart number `failures` (1 for the first) of a run of consecutive failures. */
export function backoffDelayMs(failures: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  if (failures < 1) return 0;
  // Capped before exponentiating far: factor^(failures-1) overflows to Infinity after ~1000 failures.
  const exponent = Math.min(failures - 1, 64);
  return Math.min(policy.maxMs, Math.round(policy.initialMs * policy.factor ** exponent));
}

/** One part's restart history: how long to wait after each death. */
export class RestartSchedule {
  private failures = 0;

  constructor(private readonly policy: BackoffPolicy = DEFAULT_BACKOFF) {}

  /** Called when the part died after running `ranForMs`: the wait before starting it again. */
  afterExit(ranForMs: number): number {
    if (ranForMs >= this.policy.stableMs) this.failures = 0;
    this.failures++;
    return backoffDelayMs(this.failures, this.policy);
  }

  /** Consecutive failures counted so far (the restart number of the next restart). */
  get consecutiveFailures(): number {
    return this.failures;
  }
}
