import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Env } from '../../config/env';

const run = promisify(execFile);

/** The Temporal CLI release this project is tested with. */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';

function onPath(binary: 'go'): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, binary);
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Finds a Temporal CLI binary: `TEMPORAL_CLI`, else the one this project built before, else builds
 * the pinned version with `go install` into the git-ignored tools folder. A `temporal` that happens
 * to be on PATH is never used: its version is unknown. Answers undefined when none can be had (no
 * Go): the caller then lets the SDK download its own pinned dev server.
 */
export async function resolveTemporalCli(env: Env, log: (line: string) => void): Promise<string | undefined> {
  if (env.temporalCli) {
    if (!fs.existsSync(env.temporalCli)) throw new Error(`TEMPORAL_CLI=${env.temporalCli} does not exist`);
    return env.temporalCli;
  }
  const binDir = path.join(env.toolsDir, `temporal-${TEMPORAL_CLI_VERSION}`, 'bin');
  const built = path.join(binDir, 'temporal');
  if (fs.existsSync(built)) return built;
  const go = onPath('go');
  if (!go) return undefined;
  log(`building Temporal CLI ${TEMPORAL_CLI_VERSION} with go install (first run only, a few minutes)…`);
  fs.mkdirSync(binDir, { recursive: true });
  await run(go, ['install', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`], {
    env: { ...process.env, GOBIN: binDir },
    maxBuffer: 64 * 1024 * 1024,
  });
  return built;
}
