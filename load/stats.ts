/** Latency figures from raw samples (milliseconds). */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarise(samples: number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1] ?? NaN };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Runs `buyers` concurrent loops calling `attempt` until `durationMs` passes (after `warmupMs`,
 * whose samples are dropped). Answers the latencies of successes and the count of failures.
 */
export async function runClosedLoop(
  buyers: number,
  durationMs: number,
  warmupMs: number,
  attempt: () => Promise<boolean>,
): Promise<{ latencies: number[]; ok: number; failed: number; seconds: number }> {
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  const start = performance.now();
  const measureFrom = start + warmupMs;
  const end = measureFrom + durationMs;
  await Promise.all(
    Array.from({ length: buyers }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        let success = false;
        try {
          success = await attempt();
        } catch {
          success = false;
        }
        const t1 = performance.now();
        if (t0 < measureFrom) continue;
        if (success) {
          ok++;
          latencies.push(t1 - t0);
        } else {
          failed++;
        }
      }
    }),
  );
  return { latencies, ok, failed, seconds: (performance.now() - measureFrom) / 1000 };
}
