/**
 * Runs `job` every `intervalSeconds`, never two at once; a failed run is logged and the next one
 * tries again. Returns a function that stops it.
 */
export function runPeriodically(name: string, intervalSeconds: number, job: () => Promise<string | undefined>): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const report = await job();
      if (report) console.log(`[${name}] ${report}`);
    } catch (err) {
      console.error(`[${name}] failed:`, (err as Error).message);
    } finally {
      running = false;
    }
  }, intervalSeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
