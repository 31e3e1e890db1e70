import type { ApplicationFailure } from '@temporalio/common';
import type { HoldResult } from '../domain/booking';

/** What this process saw of a booking's hold: its result, its business refusal, or an attempt that failed and will be retried. */
export type LocalHoldOutcome =
  | { kind: 'held'; result: HoldResult }
  | { kind: 'refused'; failure: ApplicationFailure }
  | { kind: 'retrying' };

/** An API request's watch on one booking's hold in this process. */
export interface LocalHoldWatch {
  /** Resolves when an attempt of the hold starts here. */
  readonly started: Promise<void>;
  /** Resolves with the first outcome reported here (never rejects). */
  readonly outcome: Promise<LocalHoldOutcome>;
  /** Stops watching: later reports for the booking are dropped. */
  dispose(): void;
}

interface Entry {
  markStarted(): void;
  settle(outcome: LocalHoldOutcome): void;
}

/**
 * Where the hold activity running in an API node's own worker reports to the checkout waiting for it,
 * keyed by booking id, so an eagerly started booking's answer needs no second round trip to Temporal.
 * Only bookings a request here is watching are kept; every other report (the separate worker's, a
 * replay's, a late retry's) is dropped. The activity reports what it committed to the database, and
 * a re-run of the hold answers the same (hold_seats is idempotent per booking id), so the outcome
 * seen here is the one the workflow records, even if its workflow task has to be retried elsewhere.
 */
export class HoldOutcomes {
  private readonly watched = new Map<string, Entry>();

  watch(bookingId: string): LocalHoldWatch {
    let markStarted!: () => void;
    let settle!: (outcome: LocalHoldOutcome) => void;
    const started = new Promise<void>((resolve) => (markStarted = resolve));
    const outcome = new Promise<LocalHoldOutcome>((resolve) => (settle = resolve));
    const entry: Entry = { markStarted, settle };
    this.watched.set(bookingId, entry);
    return {
      started,
      outcome,
      dispose: () => {
        if (this.watched.get(bookingId) === entry) this.watched.delete(bookingId);
      },
    };
  }

  /** An attempt of the booking's hold began in this process. */
  attemptStarted(bookingId: string): void {
    this.watched.get(bookingId)?.markStarted();
  }

  report(bookingId: string, outcome: LocalHoldOutcome): void {
    this.watched.get(bookingId)?.settle(outcome);
  }

  /** Bookings being watched (for tests and metrics: it should drain to zero). */
  get size(): number {
    return this.watched.size;
  }
}
