import type { Client } from '@temporalio/client';
import type { Env } from '../config/env';
import type { Pool } from '../db/pool';

/** What route handlers may use. Built once in main (or per test) and handed to createApp. */
export interface ApiDeps {
  env: Env;
  pool: Pool;
  temporal: Client;
}
