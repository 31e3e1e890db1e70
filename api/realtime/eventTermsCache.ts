import pg from 'pg';
import { EVENT_CHANGES_CHANNEL, type EventTerms } from '../../domain/event';
import type { Pool } from '../../db/pool';
import { findEventTerms } from '../../db/queries/events';
import { RetryTimer } from './retryTimer';

const RETRY_MS = 1000;

export interface EventTermsCacheOptions {
  databaseUrl: string;
  /** Events kept at most; the least recently read goes first. */
  maxEvents: number;
  log?: (line: string) => void;
}

/**
 * This node's copy of events' rows (name, terms, sale settings: what changes rarely), so GET
 * /events/:id reads no row. A copy is forgotten when the database says the row changed (NOTIFY
 * from a trigger, on its own LISTEN connection), and at once by the node that changed it. While
 * that connection is down nothing is kept: every read goes to the database until it listens again.
 */
export class EventTermsCache {
  private readonly entries = new Map<string, Promise<EventTerms | undefined>>();
  private client: pg.Client | undefined;
  private listening = false;
  private stopped = false;
  private readonly retry = new RetryTimer(RETRY_MS, () => void this.connect());
  private readonly log: (line: string) => void;
  /** Reads from the database, for tests. */
  loads = 0;

  constructor(
    private readonly pool: Pool,
    private readonly options: EventTermsCacheOptions,
  ) {
    this.log = options.log ?? ((line) => console.log(`[events] ${line}`));
  }

  async start(): Promise<void> {
    await this.connect();
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.retry.cancel();
    this.listening = false;
    this.entries.clear();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  /** The event's row, or undefined when there is none. */
  async get(eventId: string): Promise<EventTerms | undefined> {
    if (!this.listening) return this.read(eventId);
    let entry = this.entries.get(eventId);
    if (entry) {
      this.entries.delete(eventId);
    } else {
      entry = this.read(eventId);
      // A failed or missing read is not kept: the next one asks again.
      entry.then(
        (terms) => terms === undefined && this.entries.get(eventId) === entry && this.entries.delete(eventId),
        () => this.entries.get(eventId) === entry && this.entries.delete(eventId),
      );
    }
    this.entries.set(eventId, entry);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.options.maxEvents) break;
      this.entries.delete(oldest);
    }
    return entry;
  }

  /** Drops this node's copy (called by the node that changed the row, before it answers). */
  forget(eventId: string): void {
    this.entries.delete(eventId);
  }

  private read(eventId: string): Promise<EventTerms | undefined> {
    this.loads += 1;
    return findEventTerms(this.pool, eventId);
  }

  private stopListening(client: pg.Client, why: string): void {
    if (this.client !== client) return;
    this.log(`event change listener ${why}: reading events from the database until it listens again`);
    this.client = undefined;
    this.listening = false;
    this.entries.clear();
    void client.end().catch(() => undefined);
    if (!this.stopped) this.retry.schedule();
  }

  private async connect(): Promise<void> {
    if (this.stopped || this.client) return;
    const client = new pg.Client({ connectionString: this.options.databaseUrl, application_name: 'seatflow-event-listener' });
    this.client = client;
    client.on('error', (err) => this.stopListening(client, `lost its connection (${err.message})`));
    client.on('end', () => this.stopListening(client, 'was disconnected'));
    client.on('notification', (message) => {
      if (message.channel === EVENT_CHANGES_CHANNEL && message.payload) this.entries.delete(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENT_CHANGES_CHANNEL}`);
      if (this.client !== client) return;
      // Rows may have changed while nobody listened.
      this.entries.clear();
      this.listening = true;
    } catch (err) {
      this.stopListening(client, `could not start (${(err as Error).message})`);
    }
  }
}
