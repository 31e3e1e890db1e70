import type { HoldOutcome, HoldRequest } from '../db/queries/holds';

/**
 * The bench's stand-in for the hold's SQL: answers "held" at once, touching nothing, so a run
 * measures Temporal's own cost for the booking's shape (start, first task, local activity, answer).
 * Priced like the bench's events, so the workflow then waits for payment as a real hold does.
 */
export async function noopHold(_pool: unknown, req: HoldRequest): Promise<HoldOutcome> {
  return { kind: 'held', amountCents: 1000 * req.seatNumbers.length, expiresAt: req.expiresAt };
}
