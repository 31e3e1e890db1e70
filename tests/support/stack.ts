/**
 * A Seatflow stack for one test file, on the real services jest's globalSetup started: its own task
 * queue and worker, a Temporal client, a pool on the test database and the API on a free port.
 * `useTestStack()` is what a test file calls: it starts the stack before the file's tests and
 * stops it after them.
 */
import fs from 'node:fs';
import { afterAll, beforeAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { HoldOutcomes } from '../../activities/holdOutcomes';
import { CheckoutPaths, type LocalBookingWorker } from '../../api/checkout/eagerHold';
import { startApiServer } from '../../api/server';
import { readEnv, type Env } from '../../config/env';
import { createPool, type Pool } from '../../db/pool';
import { createPaymentProvider } from '../../payments/createPaymentProvider';
import { createBookingWorker } from '../../worker/createBookingWorker';

export interface TestStack {
  env: Env;
  pool: Pool;
  temporal: Client;
  baseUrl: string;
  /** With `workerInApi`: the API's in-process worker's hold reports and how its checkouts went. */
  localWorker: LocalBookingWorker | undefined;
  /** Starts a worker on this stack's task queue (one is started by default). */
  startWorker(): Promise<void>;
  /** Stops the running worker gracefully, as a deploy or crash-restart would. */
  stopWorker(): Promise<void>;
  stop(): Promise<void>;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with \`npm test\`, which starts the stack`);
  return value;
}

// Stack start-up (connections, a worker, the API and its realtime service) on a busy machine.
const START_TIMEOUT_MS = 120_000;

/**
 * The file's stack, started in a `beforeAll` and stopped in an `afterAll` that this registers.
 * Read its fields inside tests and hooks (they exist once the stack has started); several stacks
 * in one file (auth on and off, say) are several calls.
 */
export function useTestStack(options: TestStackOptions = {}): TestStack {
  let current: TestStack | undefined;
  beforeAll(async () => {
    current = await startTestStack(options);
  }, START_TIMEOUT_MS);
  afterAll(async () => {
    await current?.stop();
    current = undefined;
  }, START_TIMEOUT_MS);
  return new Proxy({} as TestStack, {
    get(_target, property) {
      if (!current) throw new Error(`the test stack is not running: read stack.${String(property)} inside a test or hook`);
      return Reflect.get(current, property);
    },
  });
}

let runtimeInstalled = false;

/**
 * Tests send thousands of holds from one address and many from one user within a minute, so their
 * stacks run without rate limits unless a test turns them on (tests/ratelimits/ does).
 */
export const RATE_LIMITS_OFF = {
  rateLimitPerUser: 0,
  rateLimitPerAddress: 0,
  rateLimitCheckinPerUser: 0,
  rateLimitFailedHolds: 0,
} satisfies Partial<Env>;

/**
 * A busy CI machine can take seconds to start a workflow, and bursts send thousands of checkouts at
 * once (2,000 holds took 100 s with the suite running beside them): tests that are not about the
 * deadline or the in-flight bound should trip neither. Still under jest's 120 s per test, so a hang
 * shows as the 503 it becomes.
 */
export const CHECKOUT_LIMITS_GENEROUS = {
  checkoutDeadlineMs: 110_000,
  maxCheckoutsInFlight: 100_000,
} satisfies Partial<Env>;

export interface TestStackOptions {
  /** Start a worker on the stack's task queue (default true). */
  worker?: boolean;
  /**
   * The stack's worker runs as the API's in-process booking worker (BOOKING_WORKER_IN_API): the API's
   * client shares its NativeConnection and checkouts start eagerly. Default: false, or true when
   * SEATFLOW_TEST_WORKER_IN_API=1 (to run any test file against the eager path).
   */
  workerInApi?: boolean;
  /** Settings applied on top of readEnv() (and this stack's own task queue), e.g. `{ authRequired: true }`. */
  env?: Partial<Env>;
}

export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  if (!runtimeInstalled) {
    // Worker lifecycle chatter drowns test output; warnings and errors still show.
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  const env: Env = {
    ...readEnv(),
    taskQueue: `test-${randomUUID()}`,
    ...RATE_LIMITS_OFF,
    ...CHECKOUT_LIMITS_GENEROUS,
    // With REDIS_URL set, counters live in a Redis that other runs may share: count apart from them.
    rateLimitRedisPrefix: `seatflow-test-${randomUUID()}`,
    waitingRoomRedisPrefix: `seatflow-test-queue-${randomUUID()}`,
    ...options.env,
  };
  const workflowBundle = { code: fs.readFileSync(required('SEATFLOW_TEST_WORKFLOW_BUNDLE'), 'utf8') };
  required('DATABASE_URL');
  required('TEMPORAL_ADDRESS');

  const pool = createPool(env.databaseUrl, 40);
  const workerInApi = options.workerInApi ?? process.env.SEATFLOW_TEST_WORKER_IN_API === '1';
  const connection = await Connection.connect({ address: env.temporalAddress });
  const nativeConnection = await NativeConnection.connect({ address: env.temporalAddress });
  const temporal = new Client({ connection: workerInApi ? nativeConnection : connection, namespace: env.temporalNamespace });
  const localWorker = workerInApi ? { holdOutcomes: new HoldOutcomes(), paths: new CheckoutPaths() } : undefined;

  const payments = createPaymentProvider(env, pool);
  const apiServer = await startApiServer({ env: { ...env, host: '127.0.0.1', port: 0 }, pool, temporal, payments, localWorker });
  const baseUrl = apiServer.url;

  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  const startWorker = async () => {
    if (worker) throw new Error('a worker is already running');
    worker = await createBookingWorker({
      connection: nativeConnection,
      namespace: env.temporalNamespace,
      taskQueue: env.taskQueue,
      pool,
      payments,
      workflowBundle,
      holdOutcomes: localWorker?.holdOutcomes,
    });
    running = worker.run();
  };
  const stopWorker = async () => {
    if (!worker) return;
    worker.shutdown();
    await running;
    worker = undefined;
    running = undefined;
  };
  if (options.worker !== false) await startWorker();

  return {
    env,
    pool,
    temporal,
    baseUrl,
    localWorker,
    startWorker,
    stopWorker,
    async stop() {
      await stopWorker();
      await apiServer.close();
      await connection.close();
      await nativeConnection.close();
      await pool.end();
    },
  };
}
