/**
 * `npm test`: starts what the tests need (a Temporal dev server from the pinned CLI, a fresh
 * PostgreSQL database), bundles the workflows once, runs every test file with Node's test runner,
 * and tears it all down. Extra arguments pick test files: `npm test -- tests/api/events.test.ts`.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { readEnv } from '../config/env';
import { createPool } from '../db/pool';
import { migrate } from '../db/migrate';
import { dropDatabase, ensureDatabase, findOrStartPostgres } from './stack/postgres';
import { startTemporalDevServer } from './stack/temporalServer';

const log = (line: string) => console.log(`[test] ${line}`);

function findTestFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return findTestFiles(full);
      return entry.name.endsWith('.test.ts') ? [full] : [];
    })
    .sort();
}

async function main(): Promise<number> {
  const env = readEnv();
  const requested = process.argv.slice(2);
  const files = requested.length > 0 ? requested : findTestFiles(path.join(env.projectRoot, 'tests'));

  const started = Date.now();
  const [temporal, postgres, bundle] = await Promise.all([
    startTemporalDevServer(env, {}, log),
    findOrStartPostgres(env, log),
    bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: new DefaultLogger('WARN') }),
  ]);
  const database = `seatflow_test_${process.pid}_${Date.now()}`;
  const databaseUrl = await ensureDatabase(postgres.adminUrl, database);
  const pool = createPool(databaseUrl, 2);
  await migrate(pool);
  await pool.end();
  const bundlePath = path.join(os.tmpdir(), `seatflow-workflows-${process.pid}.js`);
  fs.writeFileSync(bundlePath, bundle.code);
  log(`stack ready in ${Date.now() - started} ms: Temporal ${temporal.address}, database ${database}`);

  try {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files],
      {
        stdio: 'inherit',
        env: {
          ...process.env,
          DATABASE_URL: databaseUrl,
          SEATFLOW_TEST_ADMIN_URL: postgres.adminUrl,
          TEMPORAL_ADDRESS: temporal.address,
          SEATFLOW_TEST_WORKFLOW_BUNDLE: bundlePath,
        },
      },
    );
    return await new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
  } finally {
    fs.rmSync(bundlePath, { force: true });
    await temporal.stop().catch((err) => log(`stopping Temporal failed: ${(err as Error).message}`));
    await dropDatabase(postgres.adminUrl, database).catch(() => undefined);
    await postgres.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error('[test] set-up failed:', err);
    process.exit(1);
  },
);
