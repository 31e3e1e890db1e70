/** A Redis server of a test's own (redis-server on a free port), which the test may stop and start again. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createClient } from 'redis';
import { eventually } from '../support/factories';
import { freePort } from '../../scripts/stack/freePort';

export interface PrivateRedis {
  url: string;
  /** Kills the server at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
  /** Freezes the server (SIGSTOP): connections stay open and nothing is answered, as in a hang. */
  pause(): void;
  /** Lets a frozen server go on (SIGCONT). */
  resume(): void;
  /** The value stored under `key`, read with a short-lived client. */
  get(key: string): Promise<string | null>;
}


export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const get = async (key: string): Promise<string | null> => {
    const client = createClient({ url, socket: { reconnectStrategy: false } });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return await client.get(key);
    } finally {
      client.destroy();
    }
  };
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    const failed = new Promise<never>((_, reject) =>
      child?.once('error', (err) => reject(new Error(`cannot run redis-server (Debian's redis-server package): ${err.message}`))),
    );
    failed.catch(() => undefined);
    await Promise.race([failed, eventually(() => get('ping-probe').then(() => true, () => undefined), 15_000, `redis-server on port ${port}`)]);
  };
  const kill = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url,
    kill,
    restart: start,
    get,
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
  };
}
