import { pruneSeatChanges } from '../db/queries/seatChanges';
import type { Pool } from '../db/pool';
import { runPeriodically } from './periodic';

const PRUNE_INTERVAL_SECONDS = 300;

/** Keeps the seat-change outbox to its retention; clients further behind than that get a snapshot. */
export function startSeatChangePruner(pool: Pool, keepSeconds: number): () => void {
  return runPeriodically('outbox', PRUNE_INTERVAL_SECONDS, async () => {
    const pruned = await pruneSeatChanges(pool, keepSeconds);
    return pruned > 0 ? `pruned ${pruned} seat change(s) older than ${keepSeconds} s` : undefined;
  });
}
