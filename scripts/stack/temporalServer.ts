import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Env } from '../../config/env';
import { SEARCH_ATTRIBUTES } from '../../domain/searchAttributes';
import { resolveTemporalCli } from './temporalCli';

export interface TemporalDevServer {
  address: string;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  port?: number;
  /** Serve the Web UI on this port; no UI when unset. */
  uiPort?: number;
  /** SQLite file that keeps workflows across restarts; in memory when unset. */
  dbFilename?: string;
}

/**
 * Starts a Temporal dev server through the SDK's test environment, pointed at our CLI binary (or
 * the SDK's own download when there is none), with Seatflow's search attributes registered.
 */
export async function startTemporalDevServer(
  env: Env,
  options: DevServerOptions,
  log: (line: string) => void,
): Promise<TemporalDevServer> {
  const cli = await resolveTemporalCli(env, log);
  if (!cli) log('no Temporal CLI and no Go toolchain: letting the SDK download the dev server');
  const testEnv = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: cli ? { type: 'existing-path', path: cli } : { type: 'cached-download' },
      ip: '127.0.0.1',
      port: options.port,
      namespace: env.temporalNamespace,
      dbFilename: options.dbFilename,
      ui: options.uiPort !== undefined,
      uiPort: options.uiPort,
      searchAttributes: [...SEARCH_ATTRIBUTES],
      log: { format: 'pretty', level: 'error' },
      // Write-ahead logging with fsync at checkpoints rather than at every commit: without it the
      // dev server's SQLite file spends most of a booking waiting on the disk (see README, Benchmark).
      // A crash of the process loses nothing; only a crash of the machine could lose the last moments.
      extraArgs: options.dbFilename ? ['--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal'] : [],
    },
  });
  return { address: testEnv.address, stop: () => testEnv.teardown() };
}
