import pg from 'pg';

// int8 (count(*)) fits comfortably in a JS number for seat counts.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

export function createPool(connectionString: string, max = 20): Pool {
  const pool = new pg.Pool({ connectionString, max });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', (err) => console.error('[db] idle client error:', err.message));
  return pool;
}

/**
 * Runs `work` in one transaction (`begin` opens it): committed if it returns, rolled back if it
 * throws. A connection that dies meanwhile (a database restart) is discarded, not pooled, and its
 * late 'error' event is caught here: unhandled, it would crash the process.
 */
export async function inTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
  begin = 'BEGIN',
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (err: Error) => {
    broken = err;
  };
  client.on('error', onError);
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch((rollbackErr: Error) => {
      broken ??= rollbackErr;
    });
    throw err;
  } finally {
    // Released with an error, the pool ends the connection, so it cannot emit 'error' any more.
    client.release(broken);
    client.off('error', onError);
  }
}
