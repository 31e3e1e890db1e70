/**
 * The Temporal dev server as a plain child process of the launcher (the pinned CLI's
 * `server start-dev`), so the launcher can watch it and start it again on the same SQLite file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../../domain/searchAttributes';

export interface TemporalProcessOptions {
  cli: string;
  port: number;
  /** Serve the Web UI on this port; headless when unset. */
  uiPort?: number;
  namespace: string;
  /** SQLite file that keeps workflows across restarts of the server. */
  dbFilename: string;
}

export function temporalDevServerArgs(options: TemporalProcessOptions): string[] {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port), '--db-filename', options.dbFilename];
  args.push(...(options.uiPort !== undefined ? ['--ui-port', String(options.uiPort)] : ['--headless']));
  if (options.namespace !== 'default') args.push('--namespace', options.namespace);
  // Keyword is the only type Seatflow's search attributes use.
  for (const attribute of SEARCH_ATTRIBUTES) args.push('--search-attribute', `${attribute.name}=Keyword`);
  // WAL with fsync at checkpoints (see docs/benchmarks.md): a crash of the process loses nothing.
  args.push('--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal', '--log-level', 'error');
  return args;
}

export function spawnTemporalDevServer(options: TemporalProcessOptions): ChildProcess {
  // Its own process group: a Ctrl-C in the terminal reaches only the launcher, which stops it last.
  return spawn(options.cli, temporalDevServerArgs(options), { stdio: ['ignore', 'inherit', 'inherit'], detached: true });
}

/** Resolves once the server at `address` answers for `namespace`; rejects after `timeoutMs` or if `child` exits. */
export async function waitForTemporal(address: string, namespace: string, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child.once('exit', () => (exited = true));
  for (;;) {
    if (exited) throw new Error('the Temporal dev server exited while starting');
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch {
      if (Date.now() > deadline) throw new Error(`the Temporal dev server did not answer on ${address} within ${timeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
