/** A booking worker in a child process (tests/support/workerMain.ts), which a test may SIGKILL. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Env } from '../../config/env';

const projectRoot = path.resolve(__dirname, '..', '..');
const STARTUP_TIMEOUT_MS = 120_000;

export interface WorkerProcess {
  child: ChildProcess;
  output: string[];
  /** SIGKILL: no graceful shutdown, in-flight activities are simply lost. Resolves once it exited. */
  kill(): Promise<void>;
}

export async function startWorkerProcess(env: Env): Promise<WorkerProcess> {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: env.databaseUrl,
    TEMPORAL_ADDRESS: env.temporalAddress,
    TEMPORAL_NAMESPACE: env.temporalNamespace,
    TEMPORAL_TASK_QUEUE: env.taskQueue,
  };
  // The test runner marks its own children; this process is not a test file.
  delete childEnv.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'tests', 'support', 'workerMain.ts')], {
    cwd: projectRoot,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the worker process did not start:\n${output.join('')}`)), STARTUP_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (output.join('').includes('[worker] ready')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the worker process exited (${code ?? signal}) before it was ready:\n${output.join('')}`));
    });
  });
  return {
    child,
    output,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
