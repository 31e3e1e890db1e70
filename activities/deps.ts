import type { Pool } from '../db/pool';

export interface ActivityDeps {
  pool: Pool;
}
