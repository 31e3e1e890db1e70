/** `npm start` (scripts/start.ts) as a child of a test, on its own ports, data folder and database. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventually } from '../support/factories';
import { freePort } from '../../scripts/stack/freePort';
import { onOutputLines } from '../../scripts/stack/outputLines';

const projectRoot = path.resolve(__dirname, '..', '..');
// The first start bundles the workflows and starts a Temporal dev server, on a shared machine.
const STARTUP_TIMEOUT_MS = 180_000;

export interface LauncherProcess {
  apiUrl: string;
  temporalAddress: string;
  child: ChildProcess;
  output: string[];
  /** The pid the launcher last said it started `part` with ('worker', 'API', 'Temporal dev server'). */
  pidOf(part: string): number | undefined;
  /** Resolves once the launcher printed a line matching `pattern` (counted from `from` lines on). */
  waitFor(pattern: RegExp, timeoutMs?: number, from?: number): Promise<string>;
  /** SIGTERM, then waits for its exit; answers its exit code. */
  stop(): Promise<number | null>;
}

export async function startLauncher(databaseUrl: string, extraEnv: Record<string, string> = {}): Promise<LauncherProcess> {
  const [apiPort, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'seatflow-launcher-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    PORT: String(apiPort),
    TEMPORAL_DEV_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(uiPort),
    SEATFLOW_DATA_DIR: dataDir,
    ...extraEnv,
  };
  // The launcher must start its own Temporal dev server, and it is not a test file.
  delete env.TEMPORAL_ADDRESS;
  delete env.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'scripts', 'start.ts')], {
    cwd: projectRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  onOutputLines([child.stdout, child.stderr], (line) => output.push(line));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = async (pattern: RegExp, timeoutMs = 60_000, from = 0) =>
    eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`the launcher exited (${child.exitCode}):\n${output.join('\n')}`);
        return output.slice(from).find((line) => pattern.test(line));
      },
      timeoutMs,
      `the launcher to print ${pattern}`,
    );
  const launcher: LauncherProcess = {
    apiUrl: `http://127.0.0.1:${apiPort}`,
    temporalAddress: `127.0.0.1:${temporalPort}`,
    child,
    output,
    pidOf(part) {
      const prefix = `[start] ${part} started (pid `;
      const line = [...output].reverse().find((l) => l.startsWith(prefix));
      return line ? Number(line.slice(prefix.length).replace(')', '')) : undefined;
    },
    waitFor,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const code = await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
  try {
    await waitFor(/\[api\] listening on/, STARTUP_TIMEOUT_MS);
    await waitFor(/\[worker\] polling task queue/, STARTUP_TIMEOUT_MS);
  } catch (err) {
    await launcher.stop();
    throw err;
  }
  return launcher;
}
