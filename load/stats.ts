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

interface LoopResult {
  latencies: number[];
  ok: number;
  failed: number;
  seconds: number;
}

/** Runs one attempt and counts it into `result` if it started at or after `measureFrom` (warm-up before). */
async function measured(attempt: () => Promise<boolean>, measureFrom: number, result: LoopResult): Promise<void> {
  const t0 = performance.now();
  let success = false;
  try {
    success = await attempt();
  } catch {
    success = false;
  }
  if (t0 < measureFrom) return;
  if (success) {
    result.ok++;
    result.latencies.push(performance.now() - t0);
  } else {
    result.failed++;
  }
}

/**
 * Runs `buyers` concurrent loops calling `attempt` until `durationMs` passes (after `warmupMs`,
 * whose samples are dropped). Answers the latencies of successes and the count of failures.
 */
export async function runClosedLoop(buyers: number, durationMs: number, warmupMs: number, attempt: () => Promise<boolean>): Promise<LoopResult> {
  const result: LoopResult = { latencies: [], ok: 0, failed: 0, seconds: 0 };
  const measureFrom = performance.now() + warmupMs;
  const end = measureFrom + durationMs;
  await Promise.all(
    Array.from({ length: buyers }, async () => {
      while (performance.now() < end) await measured(attempt, measureFrom, result);
    }),
  );
  result.seconds = (performance.now() - measureFrom) / 1000;
  return result;
}

/**
 * `clients` loops each calling `attempt` once every `paceMs` (from a random offset, so they do not
 * move in step) until `durationMs` passes after `warmupMs`: the latencies as each client sees them at
 * a set load, rather than at the most the server can take.
 */
export async function runPaced(clients: number, paceMs: number, durationMs: number, warmupMs: number, attempt: () => Promise<boolean>): Promise<LoopResult> {
  const result: LoopResult = { latencies: [], ok: 0, failed: 0, seconds: durationMs / 1000 };
  const start = performance.now();
  const measureFrom = start + warmupMs;
  const end = measureFrom + durationMs;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let due = start + Math.random() * paceMs; due < end; due += paceMs) {
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
        await measured(attempt, measureFrom, result);
      }
    }),
  );
  return result;
}
