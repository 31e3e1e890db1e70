/** Helpers for firing many requests at the API at once, for the concurrency tests. */

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

/** Counts the answers by HTTP status, for assertion messages. */
export function statusCounts(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}
