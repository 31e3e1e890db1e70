/**
 * What globalSetup started, handed to globalTeardown. jest runs both in its own process and gives
 * them one global object (but not its module registry), so it is kept there.
 */
import type { PostgresServer } from '../../scripts/stack/postgres';
import type { TemporalDevServer } from '../../scripts/stack/temporalServer';

export interface SharedStack {
  temporal: TemporalDevServer;
  postgres: PostgresServer;
  /** The run's databases, dropped at the end. */
  databases: string[];
  bundlePath: string;
}

const KEY = Symbol.for('seatflow.test.sharedStack');
type Holder = { [KEY]?: SharedStack };

export function rememberSharedStack(stack: SharedStack): void {
  (globalThis as Holder)[KEY] = stack;
}

export function takeSharedStack(): SharedStack | undefined {
  const stack = (globalThis as Holder)[KEY];
  delete (globalThis as Holder)[KEY];
  return stack;
}
