/** An extra API node as its own process (`api/main.ts`), for the tests of several nodes sharing Redis. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { eventually } from '../support/factories';
import { onOutputLines } from '../../scripts/stack/outputLines';

const projectRoot = path.resolve(__dirname, '..', '..');
const STARTUP_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 15_000;

export interface ApiProcess {
  url: string;
  child: ChildProcess;
  /** Every line the node printed (stdout and stderr). */
  output: string[];
  /** Whether the node has said it relays seat changes for the cluster. */
  relays(): boolean;
  waitUntilRelaying(timeoutMs?: number): Promise<void>;
  /** SIGTERM (a graceful stop), then SIGKILL if it has not exited in time. Safe to call twice. */
  stop(): Promise<void>;
}

const RELAY_LINE = 'relays seat changes for the cluster';

export async function startApiProcess(name: string, env: Record<string, string>): Promise<ApiProcess> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', PORT: '0', ...env };
  // The test runner marks its own children; this process is not a test file.
  delete childEnv.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'api', 'main.ts')], {
    cwd: projectRoot,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start in time:\n${output.join('\n')}`)), STARTUP_TIMEOUT_MS);
    const onLine = (line: string) => {
      output.push(line);
      const listening = /\[api\] listening on (http:\/\/\S+)/.exec(line);
      if (listening) {
        clearTimeout(timer);
        resolve(listening[1]);
      }
    };
    onOutputLines([child.stdout, child.stderr], onLine);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before listening:\n${output.join('\n')}`));
    });
  }).catch(async (err: Error) => {
    child.kill('SIGKILL');
    throw err;
  });

  const relays = () => output.some((line) => line.includes(RELAY_LINE));
  return {
    url,
    child,
    output,
    relays,
    async waitUntilRelaying(timeoutMs = 30_000) {
      await eventually(async () => (relays() ? true : undefined), timeoutMs, `${name} to take over the relay`);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
