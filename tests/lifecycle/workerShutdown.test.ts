/**
 * The worker's graceful stop, on a real `worker/main.ts` process: SIGTERM stops its polling, lets its
 * tasks finish and only then closes its Temporal connection and pool, exiting 0 without an error; a
 * hold taken after a new worker starts on the same task queue goes through.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import { startApiProcess } from '../realtime/apiProcess';
import { createEvent, eventually, holdSeats } from '../support/factories';
import { useTestStack } from '../support/stack';
import { afterThisTest } from '../support/testHooks';

const stack = useTestStack({ worker: false });
const projectRoot = path.resolve(__dirname, '..', '..');

function startWorkerMain(taskQueue: string) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: stack.env.databaseUrl,
    TEMPORAL_ADDRESS: stack.env.temporalAddress,
    TEMPORAL_NAMESPACE: stack.env.temporalNamespace,
    TEMPORAL_TASK_QUEUE: taskQueue,
    SHUTDOWN_DRAIN_SECONDS: '5',
  };
  delete env.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'worker', 'main.ts')], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  afterThisTest(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  return { child, output, exited, polling: () => eventually(async () => (output.join('').includes('polling task queue') ? true : undefined), 120_000, 'the worker to poll') };
}

describe('worker shutdown (SIGTERM)', () => {
  test('the worker exits 0 after closing its connection, and bookings go on with the next worker', async () => {
    const taskQueue = `worker-shutdown-${randomUUID()}`;
    const node = await startApiProcess('API', {
      DATABASE_URL: stack.env.databaseUrl,
      TEMPORAL_ADDRESS: stack.env.temporalAddress,
      TEMPORAL_NAMESPACE: stack.env.temporalNamespace,
      TEMPORAL_TASK_QUEUE: taskQueue,
    });
    afterThisTest(() => node.stop());
    const first = startWorkerMain(taskQueue);
    await first.polling();
    const event = await createEvent(node.url, { totalSeats: 5 });
    assert.equal((await holdSeats(node.url, event.id, [1])).status, 'HELD');

    first.child.kill('SIGTERM');
    const code = await first.exited;
    const output = first.output.join('');
    assert.equal(code, 0, output);
    assert.match(output, /\[worker\] SIGTERM: finishing the tasks in flight/);
    assert.match(output, /\[worker\] stopped/);
    assert.doesNotMatch(output, /fatal|Unhandled|Channel has been shut down/i);

    const second = startWorkerMain(taskQueue);
    await second.polling();
    assert.equal((await holdSeats(node.url, event.id, [2])).status, 'HELD');
  }, 240_000);
});
