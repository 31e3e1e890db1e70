/**
 * A PostgreSQL server of a test's own on a free port, with the Seatflow schema migrated, so the test
 * may stop and start it without disturbing anyone else. The server lives in a child process
 * (privatePostgresMain.ts), steered over IPC.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../scripts/stack/freePort';

export interface PrivatePostgres {
  /** Connection string of its migrated database. */
  databaseUrl: string;
  /** A fast shutdown: every session is ended and its open transaction rolled back. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** A crash: SIGKILL to the postmaster, no shutdown at all. `start()` brings it back (crash recovery). */
  kill(): Promise<void>;
  /** Stops it for good and removes its files. */
  destroy(): Promise<void>;
}

type Reply = { ready: string } | { done: string } | { failed: string; message: string };

const STARTUP_TIMEOUT_MS = 120_000;


function nextReply(child: ChildProcess, timeoutMs: number): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the private PostgreSQL did not answer in time')), timeoutMs);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`the private PostgreSQL process exited (${code})`));
    };
    child.once('exit', onExit);
    child.once('message', (reply: Reply) => {
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve(reply);
    });
  });
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const child = fork(path.join(__dirname, 'privatePostgresMain.ts'), {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, PRIVATE_POSTGRES_PORT: String(await freePort()) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const first = await nextReply(child, STARTUP_TIMEOUT_MS);
  if (!('ready' in first)) throw new Error(`the private PostgreSQL failed to start: ${JSON.stringify(first)}`);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const command = async (name: 'stop' | 'start' | 'kill' | 'destroy') => {
    if (!child.connected) return;
    child.send(name);
    const reply = await nextReply(child, STARTUP_TIMEOUT_MS);
    if (!('done' in reply)) throw new Error(`the private PostgreSQL could not ${name}: ${JSON.stringify(reply)}`);
  };
  return {
    databaseUrl: first.ready,
    stop: () => command('stop'),
    start: () => command('start'),
    kill: () => command('kill'),
    async destroy() {
      await command('destroy');
      await exited;
    },
  };
}
