import { releaseExpiredHolds } from '../db/queries/holds';
import type { Pool } from '../db/pool';

/**
 * Periodically releases holds that are past their expiry plus a grace period. Normally the booking
 * workflow's timer releases them; this catches holds whose workflow was terminated by an operator.
 */
export function startHoldBackstop(pool: Pool, graceSeconds: number, intervalSeconds: number): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const released = await releaseExpiredHolds(pool, graceSeconds);
      if (released.length > 0) console.log(`[backstop] released ${released.length} stale hold(s)`);
    } catch (err) {
      console.error('[backstop] sweep failed:', (err as Error).message);
    } finally {
      running = false;
    }
  }, intervalSeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
