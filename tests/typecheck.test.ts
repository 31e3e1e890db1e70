/**
 * jest compiles the tests with @swc/jest, which only strips types: this keeps `npm test` failing on
 * a type error anywhere in the project, as `npm run typecheck` (tsc) would.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, test } from '@jest/globals';

const run = promisify(execFile);
const projectRoot = path.resolve(__dirname, '..');

describe('TypeScript', () => {
  test('the whole project type-checks under the strict tsconfig (tsc --noEmit)', async () => {
    const tsc = require.resolve('typescript/bin/tsc');
    await run(process.execPath, [tsc, '-p', projectRoot, '--noEmit'], { cwd: projectRoot, maxBuffer: 16 * 1024 * 1024 }).catch(
      (err: { stdout?: string; message: string }) => {
        throw new Error(`tsc found type errors:\n${err.stdout || err.message}`);
      },
    );
  });
});
