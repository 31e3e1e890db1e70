/**
 * `npm run migrate`: applies pending migrations to DATABASE_URL and exits. For deployments where
 * the launcher does not run (docker-compose's one-shot `migrate` service); the database must exist.
 */
import { readEnv } from '../config/env';
import { migrate } from './migrate';
import { createPool } from './pool';

async function main(): Promise<void> {
  const env = readEnv();
  const pool = createPool(env.databaseUrl, 1);
  try {
    const applied = await migrate(pool);
    if (applied.length === 0) console.log('[migrate] database is up to date');
    for (const name of applied) console.log(`[migrate] applied ${name}`);
  } finally {
    await pool.end();
  }
}

main().catch((err) => {
  console.error('[migrate] failed:', err);
  process.exit(1);
});
