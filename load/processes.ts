/** The bench's child processes (API nodes, workers) and the CPU time processes spend, from /proc. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { onOutputLines } from '../scripts/stack/outputLines';

const root = path.resolve(__dirname, '..');
const CLOCK_TICKS_PER_SECOND = 100;

export interface Part {
  child: ChildProcess;
  /** The line that said it was ready. */
  readyLine: string;
  /** Lines it printed that match `keep` (for the summary). */
  kept: string[];
  stop(): Promise<void>;
}

/**
 * Starts `entry` (a .ts file under the project) with tsx and `env`, and resolves once it prints a
 * line containing `ready`. Lines containing `keep` are remembered; errors go to stderr as they come.
 */
export function startPart(entry: string, env: Record<string, string>, ready: string, keep = 'checkout paths'): Promise<Part> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, entry)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const kept: string[] = [];
  // The SDK's worker logs its state changes on stderr: shown only if the part fails to start.
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-4000);
  });
  // 'close', not 'exit': its last lines (the checkout paths) may still be in the pipe at 'exit'.
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const failed = (code: number | null) => reject(new Error(`${entry} exited (${code}) before it was ready:\n${errors}`));
    child.once('exit', failed);
    onOutputLines([child.stdout], (line) => {
      if (line.includes(keep)) kept.push(line);
      if (line.includes(ready)) {
        child.off('exit', failed);
        resolve({ child, readyLine: line, kept, stop });
      }
    });
  });
}

/** CPU seconds (user + system) a process has used; 0 once it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces) start after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Processes whose command line contains every one of `parts` (e.g. a PostgreSQL backend's database name). */
export function findProcesses(parts: string[]): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string;
    try {
      cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      continue;
    }
    if (parts.every((p) => cmdline.includes(p))) pids.push(Number(entry));
  }
  return pids;
}

/** CPU used by groups of processes between `start()` and `stop()`, as % of one core. Groups are re-found at each reading. */
export function cpuMeter(groups: Record<string, () => number[]>) {
  const read = () => Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, pids().reduce((sum, pid) => sum + cpuSeconds(pid), 0)]));
  let first: Record<string, number> = {};
  let startedAt = 0;
  return {
    start() {
      first = read();
      startedAt = performance.now();
    },
    stop(): Record<string, number> {
      const last = read();
      const seconds = (performance.now() - startedAt) / 1000;
      return Object.fromEntries(Object.keys(groups).map((name) => [name, ((last[name] - (first[name] ?? 0)) / seconds) * 100]));
    },
  };
}
