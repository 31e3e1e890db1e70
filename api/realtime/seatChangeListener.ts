import pg from 'pg';
import { SEAT_CHANGES_CHANNEL, type SeatUpdate } from '../../domain/seatMap';
import type { Pool } from '../../db/pool';
import { readSeatChange } from '../../db/queries/seatChanges';
import { RetryTimer } from './retryTimer';

// Only one node of a cluster relays; it holds this session-level advisory lock while it does.
export const RELAY_LOCK_KEY = 7_283_115;
const RETRY_MS = 1000;

export interface SeatChangeListenerOptions {
  databaseUrl: string;
  pool: Pool;
  /** In a cluster, relay only while holding the relay lock, so each change is relayed once. */
  exclusive: boolean;
  onUpdate: (update: SeatUpdate) => void;
  log: (line: string) => void;
}

/**
 * LISTENs for committed seat changes (NOTIFY from the outbox writes) and hands them on in commit
 * order. A notification too large to carry its seats is completed from the outbox table. On a lost
 * connection it reconnects; clients notice the versions they missed and resync.
 */
export class SeatChangeListener {
  private client: pg.Client | undefined;
  private stopped = false;
  private readonly retry = new RetryTimer(RETRY_MS, () => void this.connect());
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly options: SeatChangeListenerOptions) {}

  /** Resolves once this node listens, or (in a cluster) once it knows whether it is the relay. */
  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.retry.cancel();
    await this.chain;
    await this.client?.end().catch(() => undefined);
  }

  isRelaying(): boolean {
    return this.client !== undefined;
  }

  private scheduleRetry(): void {
    if (!this.stopped) this.retry.schedule();
  }

  private async connect(): Promise<void> {
    if (this.stopped || this.client) return;
    const client = new pg.Client({ connectionString: this.options.databaseUrl });
    client.on('error', (err) => {
      this.options.log(`seat change listener lost its connection: ${err.message}`);
      if (this.client === client) this.client = undefined;
      void client.end().catch(() => undefined);
      this.scheduleRetry();
    });
    try {
      await client.connect();
      if (this.options.exclusive) {
        const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
          RELAY_LOCK_KEY,
        ]);
        if (!rows[0].locked) {
          await client.end();
          this.scheduleRetry();
          return;
        }
      }
      client.on('notification', (message) => {
        if (message.channel !== SEAT_CHANGES_CHANNEL || !message.payload) return;
        const update = JSON.parse(message.payload) as SeatUpdate & { seats: SeatUpdate['seats'] | null };
        // Keep commit order even when one needs a read from the outbox.
        this.chain = this.chain.then(() => this.deliver(update)).catch((err: Error) => {
          this.options.log(`could not relay seat change: ${err.message}`);
        });
      });
      await client.query(`LISTEN ${SEAT_CHANGES_CHANNEL}`);
      // stop() may have run while this (re)connect was under way: it could not end this client.
      if (this.stopped) {
        await client.end();
        return;
      }
      this.client = client;
      // Said once it listens, not when it wins the lock: changes committed in between are not relayed.
      if (this.options.exclusive) this.options.log('this node relays seat changes for the cluster');
    } catch (err) {
      this.options.log(`seat change listener could not start: ${(err as Error).message}`);
      await client.end().catch(() => undefined);
      this.scheduleRetry();
    }
  }

  private async deliver(update: SeatUpdate & { seats: SeatUpdate['seats'] | null }): Promise<void> {
    if (update.seats) {
      this.options.onUpdate(update);
      return;
    }
    const full = await readSeatChange(this.options.pool, update.event_id, update.version);
    if (full) this.options.onUpdate(full);
  }
}
