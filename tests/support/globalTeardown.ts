/** jest's globalTeardown: stops what globalSetup.ts started and drops the run's databases. */
import fs from 'node:fs';
import { dropDatabase } from '../../scripts/stack/postgres';
import { takeSharedStack } from './sharedStack';

export default async function globalTeardown(): Promise<void> {
  const shared = takeSharedStack();
  if (!shared) return;
  fs.rmSync(shared.bundlePath, { force: true });
  await shared.temporal.stop().catch((err: Error) => console.error(`[test] stopping Temporal failed: ${err.message}`));
  for (const database of shared.databases) await dropDatabase(shared.postgres.adminUrl, database).catch(() => undefined);
  await shared.postgres.stop();
}
