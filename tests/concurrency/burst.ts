/** Helpers for firing many requests at the API at once, for the concurrency tests. */
import type { JsonResponse } from '../support/http';

/**
 * Runs `task(0..count-1)` with at most `cap` in flight (every one at once when `cap` is unset) and
 * returns the results in index order. Tasks are started before any is awaited.
 */
export async function burst<T>(count: number, task: (index: number) => Promise<T>, cap = count): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < count; i = next++) results[i] = await task(i);
  };
  await Promise.all(Array.from({ length: Math.min(cap, count) }, lane));
  return results;
}

/**
 * Sends `request` again, after its Retry-After (with jitter), while the API answers 503 BUSY:
 * checkout's documented "nothing was held, come back in N s", given when Temporal sheds load (its
 * 1,200 long polls per namespace are few for 2,000 checkouts at once). A buyer's client does the
 * same. Any other answer, or the last of `attempts`, is returned as it is.
 */
export async function retryWhileBusy<T>(request: () => Promise<JsonResponse<T>>, attempts = 10): Promise<JsonResponse<T>> {
  for (let attempt = 1; ; attempt++) {
    const res = await request();
    const refusal = res.body as { code?: unknown; details?: { retryAfterSeconds?: unknown } } | undefined;
    if (res.status !== 503 || refusal?.code !== 'BUSY' || attempt >= attempts) return res;
    const seconds = typeof refusal.details?.retryAfterSeconds === 'number' ? refusal.details.retryAfterSeconds : 1;
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000 * (0.5 + Math.random())));
  }
}

/** Counts the answers by HTTP status, for assertion messages. */
export function statusCounts(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}
