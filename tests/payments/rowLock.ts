/** Holds a booking's row lock from the test, so the confirm activity blocks inside its transaction. */
import type { Pool, PoolClient } from '../../db/pool';
import { eventually } from '../support/factories';

export interface RowLock {
  /** Resolves once another session (the confirm activity's) waits for this lock. */
  waitForWaiter(timeoutMs?: number): Promise<void>;
  /** Rolls back and returns the connection; harmless if the server already ended the session. */
  release(): Promise<void>;
}

export async function lockBookingRow(pool: Pool, bookingId: string): Promise<RowLock> {
  const client: PoolClient = await pool.connect();
  // The server may end this session (a restart): the pool must not treat that as a crash.
  client.on('error', () => undefined);
  await client.query('BEGIN');
  await client.query('SELECT id FROM bookings WHERE id = $1 FOR UPDATE', [bookingId]);
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const holder = rows[0].pid;
  return {
    async waitForWaiter(timeoutMs = 30_000) {
      await eventually(
        async () => {
          const waiting = await pool.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid))',
            [holder],
          );
          return waiting.rows[0].n > 0 ? true : undefined;
        },
        timeoutMs,
        'the confirm activity to wait for the booking row',
      );
    },
    async release() {
      try {
        await client.query('ROLLBACK');
        client.release();
      } catch (err) {
        client.release(err as Error);
      }
    },
  };
}
