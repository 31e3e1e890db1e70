import { releaseExpiredHolds } from '../db/queries/holds';
import type { Pool } from '../db/pool';
import { runPeriodically } from './periodic';

/**
 * Periodically releases holds that are past their expiry plus a grace period. Normally the booking
 * workflow's timer releases them; this catches holds whose workflow was terminated by an operator.
 */
export function startHoldBackstop(pool: Pool, graceSeconds: number, intervalSeconds: number): () => void {
  return runPeriodically('backstop', intervalSeconds, async () => {
    const released = await releaseExpiredHolds(pool, graceSeconds);
    return released.length > 0 ? `released ${released.length} stale hold(s)` : undefined;
  });
}
