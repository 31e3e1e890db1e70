/**
 * jest's globalSetup: starts what every test file shares, once per run. A Temporal dev server from
 * the pinned CLI (in memory, on a free port, search attributes registered), the workflow bundle
 * (built once, written to a file each file's workers load), and one fresh PostgreSQL database per
 * jest worker, cloned from one migrated template: files that run at the same time never see each
 * other's rows, and files in one worker run one after the other, as before. Test files reach all
 * of it through the environment they inherit (workerDatabase.ts picks the worker's database);
 * globalTeardown.ts stops it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '@jest/types';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import pg from 'pg';
import { readEnv } from '../../config/env';
import { migrate } from '../../db/migrate';
import { createPool } from '../../db/pool';
import { ensureDatabase, findOrStartPostgres, withDatabase } from '../../scripts/stack/postgres';
import { startTemporalDevServer } from '../../scripts/stack/temporalServer';
import { rememberSharedStack } from './sharedStack';
import { WORKER_PLACEHOLDER } from './workerDatabase';

const log = (line: string) => console.log(`[test] ${line}`);

export default async function globalSetup(globalConfig: Config.GlobalConfig): Promise<void> {
  const env = readEnv();
  const started = Date.now();
  const [temporal, postgres, bundle] = await Promise.all([
    startTemporalDevServer(env, {}, log),
    findOrStartPostgres(env, log),
    bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: new DefaultLogger('WARN') }),
  ]);
  const prefix = `seatflow_test_${process.pid}_${Date.now()}`;
  const template = `${prefix}_template`;
  const pool = createPool(await ensureDatabase(postgres.adminUrl, template), 2);
  await migrate(pool);
  await pool.end();
  const workers = Math.max(1, globalConfig.maxWorkers);
  const databases = Array.from({ length: workers }, (_, i) => `${prefix}_w${i + 1}`);
  const admin = new pg.Client({ connectionString: postgres.adminUrl });
  await admin.connect();
  try {
    for (const database of databases) {
      await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(database)} TEMPLATE ${pg.escapeIdentifier(template)}`);
    }
  } finally {
    await admin.end();
  }
  const bundlePath = path.join(os.tmpdir(), `seatflow-workflows-${process.pid}.js`);
  fs.writeFileSync(bundlePath, bundle.code);

  Object.assign(process.env, {
    SEATFLOW_TEST_DATABASE_URL: withDatabase(postgres.adminUrl, `${prefix}_w${WORKER_PLACEHOLDER}`),
    SEATFLOW_TEST_ADMIN_URL: postgres.adminUrl,
    TEMPORAL_ADDRESS: temporal.address,
    SEATFLOW_TEST_WORKFLOW_BUNDLE: bundlePath,
  });
  rememberSharedStack({ temporal, postgres, databases: [template, ...databases], bundlePath });
  log(`stack ready in ${Date.now() - started} ms: Temporal ${temporal.address}, ${workers} database(s) ${prefix}_w*`);
}
