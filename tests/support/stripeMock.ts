/**
 * stripe-mock (Stripe's official API mock server) as a child process on a free port, for the tests
 * of the Stripe payment provider. The pinned version is built once with `go install` into the
 * git-ignored tools folder; without Go and without that build, starting it fails and says so.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

export const STRIPE_MOCK_VERSION = 'v0.203.0';

const projectRoot = path.resolve(__dirname, '..', '..');
const binDir = path.join(projectRoot, '.tools', `stripe-mock-${STRIPE_MOCK_VERSION}`);
const binary = path.join(binDir, 'stripe-mock');
const STARTUP_TIMEOUT_MS = 60_000;

export interface StripeMock {
  /** e.g. `http://127.0.0.1:40123`: the value for STRIPE_API_URL. */
  url: string;
  stop(): Promise<void>;
}

async function ensureBinary(): Promise<string> {
  if (fs.existsSync(binary)) return binary;
  fs.mkdirSync(binDir, { recursive: true });
  try {
    await promisify(execFile)('go', ['install', `github.com/stripe/stripe-mock@${STRIPE_MOCK_VERSION}`], {
      env: { ...process.env, GOBIN: binDir },
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (err) {
    throw new Error(`stripe-mock is not built and \`go install\` failed (is Go installed?): ${(err as Error).message}`);
  }
  return binary;
}

export async function startStripeMock(): Promise<StripeMock> {
  const child: ChildProcess = spawn(await ensureBinary(), ['-http-addr', '127.0.0.1:0', '-https-addr', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const output: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`stripe-mock did not start:\n${output.join('')}`)), STARTUP_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      const listening = /Listening for HTTP at address: (\S+)/.exec(output.join(''));
      if (listening) {
        clearTimeout(timer);
        resolve(`http://${listening[1]}`);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`stripe-mock exited (${code}) before listening:\n${output.join('')}`));
    });
  });
  return {
    url,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
