/**
 * A private stack for the read-side benchmarks: a fresh database (migrated, dropped at the end), a
 * Temporal dev server on a free port (the API connects to one at start), and API nodes started as
 * child processes, from this tree or from an older commit's tree (to print before and after in one
 * run). Everything it starts, it stops.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readEnv } from '../config/env';
import { createPool, type Pool } from '../db/pool';
import { migrate } from '../db/migrate';
import { dropDatabase, ensureDatabase } from '../scripts/stack/postgres';
import { startTemporalDevServer, type TemporalDevServer } from '../scripts/stack/temporalServer';

export const projectRoot = path.resolve(__dirname, '..');

export interface ApiNode {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export interface BenchStack {
  databaseUrl: string;
  pool: Pool;
  temporalAddress: string;
  /** Starts an API node from `codeDir` (this tree by default) with these extra variables. */
  startApiNode(extraEnv?: Record<string, string>, codeDir?: string): Promise<ApiNode>;
  stop(): Promise<void>;
}

const log = (line: string) => console.log(`[bench] ${line}`);

export async function startBenchStack(label: string): Promise<BenchStack> {
  const env = readEnv();
  const adminUrl = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = `seatflow_bench_${label}_${process.pid}`;
  const databaseUrl = await ensureDatabase(adminUrl, database);
  const pool = createPool(databaseUrl, 10);
  await migrate(pool);
  let temporal: TemporalDevServer | undefined;
  const nodes = new Set<ChildProcess>();
  try {
    temporal = await startTemporalDevServer(env, {}, log);
  } catch (err) {
    await pool.end();
    await dropDatabase(adminUrl, database);
    throw err;
  }
  const temporalAddress = temporal.address;

  const startApiNode = (extraEnv: Record<string, string> = {}, codeDir = projectRoot): Promise<ApiNode> => {
    // BENCH_CPU_PROF_DIR: each API node writes a V8 CPU profile there when it stops (the profile first).
    const profile = process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : [];
    const child = spawn(process.execPath, [...profile, '--import', 'tsx', path.join(codeDir, 'api/main.ts')], {
      cwd: codeDir,
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: '0',
        DATABASE_URL: databaseUrl,
        TEMPORAL_ADDRESS: temporalAddress,
        REDIS_URL: '',
        // The benchmark's clients all come from one address and are not what is measured.
        RATE_LIMIT_PER_USER: '0',
        RATE_LIMIT_PER_ADDRESS: '0',
        RATE_LIMIT_FAILED_HOLDS: '0',
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    nodes.add(child);
    const stop = async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      nodes.delete(child);
    };
    return new Promise((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`API node exited (${code}) before listening`)));
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(output);
        if (match) {
          output = '';
          resolve({ url: match[1], pid: child.pid ?? 0, stop });
        }
      });
    });
  };

  return {
    databaseUrl,
    pool,
    temporalAddress,
    startApiNode,
    async stop() {
      for (const child of nodes) child.kill('SIGKILL');
      await pool.end();
      await temporal?.stop();
      await dropDatabase(adminUrl, database);
    },
  };
}

/**
 * The tree of an older commit (`git archive`, no change to the repository), with this tree's
 * node_modules, to run the "before" figures from. Answers its directory and how to remove it.
 */
export function checkoutTree(ref: string): { dir: string; commit: string; remove(): void } {
  const commit = execFileSync('git', ['rev-parse', '--short', ref], { cwd: projectRoot, encoding: 'utf8' }).trim();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `seatflow-before-${commit}-`));
  execFileSync('sh', ['-c', `git archive ${commit} | tar -x -C '${dir}'`], { cwd: projectRoot });
  fs.symlinkSync(path.join(projectRoot, 'node_modules'), path.join(dir, 'node_modules'));
  return { dir, commit, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** The commit the read-side work started from (the base the "before" figures run). */
export const DEFAULT_BEFORE_REF = process.env.BENCH_BEFORE_REF ?? 'e11a6d6';

export const uniquePrefix = () => `seatflow-bench-${randomUUID()}`;
