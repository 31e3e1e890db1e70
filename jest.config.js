// @ts-check
/**
 * `npm test`. One stack per run (globalSetup: Temporal dev server, a fresh database, the workflow
 * bundle), one task queue, worker and API server per test file (tests/support/stack.ts).
 * TypeScript is compiled by @swc/jest: it only strips types (`npm run typecheck` checks them), which
 * makes a cold start several times faster than ts-jest (docs/operations.md has the figures).
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }],
    // ESM-only packages: jest on Node 20 cannot require() them, so they are compiled to CommonJS too.
    '^.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'ecmascript' } } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  globalSetup: '<rootDir>/tests/support/globalSetup.ts',
  globalTeardown: '<rootDir>/tests/support/globalTeardown.ts',
  setupFiles: ['<rootDir>/tests/support/workerDatabase.ts'],
  setupFilesAfterEnv: ['<rootDir>/tests/support/jestSetup.ts'],
  // Two files at a time, each jest worker on a database of its own: the suite waits on timers and
  // Temporal more than on the CPU, and this machine has two cores.
  maxWorkers: 2,
  // Tests drive real workflows, timers and browsers: generous, as node:test had none.
  testTimeout: 120_000,
  verbose: true,
};
