/** A pool on the run's test database, for tests that need no stack: ended after the file's tests. */
import { afterAll } from '@jest/globals';
import { createPool, type Pool } from '../../db/pool';

export function testDatabaseUrl(): string {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is not set: run the tests with `npm test`, which starts the stack');
  return databaseUrl;
}

export function useTestPool(size = 5): Pool {
  const pool = createPool(testDatabaseUrl(), size);
  afterAll(() => pool.end());
  return pool;
}
