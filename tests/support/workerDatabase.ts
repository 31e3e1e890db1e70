/**
 * jest setupFiles: points this test file at its jest worker's own database (globalSetup.ts made one
 * per worker), through DATABASE_URL, before any of the file's modules read it.
 */
export const WORKER_PLACEHOLDER = '__worker__';

const pattern = process.env.SEATFLOW_TEST_DATABASE_URL;
if (pattern) process.env.DATABASE_URL = pattern.replace(WORKER_PLACEHOLDER, process.env.JEST_WORKER_ID ?? '1');
