/**
 * A part of the system run as a child process that is started again, with back-off
 * (supervise.ts), whenever it dies while the launcher is not stopping; the other parts stay up.
 */
import type { ChildProcess } from 'node:child_process';
import { DEFAULT_BACKOFF, RestartSchedule, type BackoffPolicy } from './supervise';

export interface ChildSpec {
  name: string;
  /** Spawns the process. */
  spawn(): ChildProcess;
  /** Resolves once the new process serves (optional); a rejection counts as a failed start. */
  ready?(child: ChildProcess): Promise<void>;
}

export interface SupervisedChild {
  /** The running process's id, if one runs. */
  pid(): number | undefined;
  /** Restarts so far. */
  restarts(): number;
  /** SIGTERM (a graceful stop), SIGKILL after `graceMs`; no restart follows. */
  stop(graceMs?: number): Promise<void>;
}

const describeExit = (code: number | null, signal: NodeJS.Signals | null) => (signal ? `signal ${signal}` : `code ${code}`);

/** Starts the child and keeps it running. Resolves once the first start is ready; rejects if that one fails. */
export async function superviseChild(
  spec: ChildSpec,
  log: (line: string) => void,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): Promise<SupervisedChild> {
  const schedule = new RestartSchedule(policy);
  let current: ChildProcess | undefined;
  let stopping = false;
  let restarts = 0;
  let timer: NodeJS.Timeout | undefined;

  const scheduleRestart = (ranForMs: number, why: string) => {
    if (stopping) return;
    const delay = schedule.afterExit(ranForMs);
    log(`${spec.name} ${why} after ${(ranForMs / 1000).toFixed(1)} s; restarting in ${delay} ms (restart #${restarts + 1})`);
    timer = setTimeout(() => {
      restarts++;
      void start().catch(() => undefined);
    }, delay);
  };

  const start = async (): Promise<void> => {
    if (stopping) return;
    const startedAt = Date.now();
    const child = spec.spawn();
    current = child;
    let exited = false;
    child.once('exit', (code, signal) => {
      exited = true;
      if (current === child) current = undefined;
      scheduleRestart(Date.now() - startedAt, `exited (${describeExit(code, signal)})`);
    });
    child.once('error', (err) => log(`${spec.name} could not be run: ${err.message}`));
    log(`${spec.name} started (pid ${child.pid})`);
    if (!spec.ready) return;
    try {
      await spec.ready(child);
      if (restarts > 0) log(`${spec.name} is serving again`);
    } catch (err) {
      // A start that never became ready is killed; its exit schedules the next attempt.
      if (!exited) {
        log(`${spec.name} did not become ready: ${(err as Error).message}`);
        child.kill('SIGKILL');
      }
      throw err;
    }
  };

  try {
    await start();
  } catch (err) {
    // The first start failed: the launcher gives up rather than retrying a part it never saw work.
    stopping = true;
    clearTimeout(timer);
    throw err;
  }
  return {
    pid: () => current?.pid,
    restarts: () => restarts,
    async stop(graceMs = 30_000) {
      stopping = true;
      clearTimeout(timer);
      const child = current;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(kill);
    },
  };
}
