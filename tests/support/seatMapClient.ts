/**
 * Clients of the live seat map, as a browser would use it: a Socket.IO client built on SeatMapSync
 * (records every raw message, resyncs on gaps, re-subscribes with sinceVersion after a reconnect)
 * and a reader of the server-sent-events stream, parsed by hand from fetch's body.
 */
import { io, type Socket } from 'socket.io-client';
import { SeatMapEvents, type SeatSnapshot, type SeatUpdate } from '../../domain/seatMap';
import type { DecodedSeatStatus } from '../../domain/seatBitmap';
import { SeatMapSync } from '../../domain/seatMapSync';
import { decodeSnapshot, type DecodedSeatSnapshot } from '../../domain/seatSnapshot';
import { eventually } from './factories';

export interface SeatMapError {
  error: true;
  code: string;
  message: string;
}

/** One message as it arrived, in arrival order. */
export type ReceivedMessage =
  | { name: typeof SeatMapEvents.snapshot; data: SeatSnapshot }
  | { name: typeof SeatMapEvents.update; data: SeatUpdate }
  | { name: typeof SeatMapEvents.error; data: SeatMapError };

/** How the client's copy reached a version: from a snapshot, or by applying that version's update. */
export interface AppliedVersion {
  via: 'snapshot' | 'update';
  version: number;
}

// A gap may close by itself (a catch-up's missed updates can arrive after a live one): wait this long before asking.
const RESYNC_DELAY_MS = 250;

interface Tracked {
  sync: SeatMapSync;
  applied: AppliedVersion[];
  resyncTimer: NodeJS.Timeout | undefined;
}

export class SeatMapClient {
  /** Every message the server sent, in arrival order. */
  readonly received: ReceivedMessage[] = [];
  /** Resync requests this client sent because of a gap. */
  resyncs = 0;
  /** Times the socket (re)connected. */
  connects = 0;
  /** Why the socket was disconnected, each time it was ("io server disconnect", "transport close", ...). */
  readonly disconnects: string[] = [];
  private readonly tracked = new Map<string, Tracked>();

  private constructor(readonly socket: Socket) {
    socket.on('connect', () => {
      this.connects += 1;
      // After a reconnect the server has forgotten this socket's rooms: ask again, from where we are.
      if (this.connects > 1) for (const eventId of this.tracked.keys()) this.sendSubscribe(SeatMapEvents.subscribe, eventId);
    });
    socket.on('disconnect', (reason) => {
      this.disconnects.push(reason);
    });
    socket.on(SeatMapEvents.snapshot, (snapshot: SeatSnapshot) => {
      this.received.push({ name: SeatMapEvents.snapshot, data: snapshot });
      const tracked = this.tracked.get(snapshot.event_id);
      if (!tracked) return;
      const before = tracked.sync.version;
      tracked.sync.applySnapshot(snapshot);
      if (snapshot.version < before) return;
      tracked.applied.push({ via: 'snapshot', version: snapshot.version });
      // Updates that arrived before the snapshot and follow it are applied with it.
      for (let v = snapshot.version + 1; v <= tracked.sync.version; v++) tracked.applied.push({ via: 'update', version: v });
    });
    socket.on(SeatMapEvents.update, (update: SeatUpdate) => {
      this.received.push({ name: SeatMapEvents.update, data: update });
      const tracked = this.tracked.get(update.event_id);
      if (!tracked) return;
      const before = tracked.sync.version;
      const outcome = tracked.sync.applyUpdate(update);
      if (before >= 0) {
        for (let v = before + 1; v <= tracked.sync.version; v++) tracked.applied.push({ via: 'update', version: v });
      }
      if (outcome === 'gap') this.scheduleResync(update.event_id, tracked);
    });
    socket.on(SeatMapEvents.error, (error: SeatMapError) => {
      this.received.push({ name: SeatMapEvents.error, data: error });
    });
  }

  /** Connects a new client (its own connection: never shared with another client). */
  static async connect(baseUrl: string, options: { transports?: ('websocket' | 'polling')[] } = {}): Promise<SeatMapClient> {
    const socket = io(baseUrl, {
      forceNew: true,
      transports: options.transports ?? ['websocket'],
      reconnectionDelay: 100,
      reconnectionDelayMax: 1000,
    });
    const client = new SeatMapClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return client;
  }

  /** Starts following an event's seat map (and keeps following it across reconnects). */
  subscribe(eventId: string): void {
    if (!this.tracked.has(eventId)) this.tracked.set(eventId, { sync: new SeatMapSync(), applied: [], resyncTimer: undefined });
    if (this.socket.connected) this.sendSubscribe(SeatMapEvents.subscribe, eventId);
  }

  unsubscribe(eventId: string): void {
    const tracked = this.tracked.get(eventId);
    clearTimeout(tracked?.resyncTimer);
    this.tracked.delete(eventId);
    this.socket.emit(SeatMapEvents.unsubscribe, { eventId });
  }

  /** Sends a raw message, for tests of malformed requests. */
  emitRaw(name: string, payload: unknown): void {
    this.socket.emit(name, payload);
  }

  map(eventId: string): SeatMapSync {
    const tracked = this.tracked.get(eventId);
    if (!tracked) throw new Error(`not subscribed to ${eventId}`);
    return tracked.sync;
  }

  /** How the client's copy advanced, in order. */
  applied(eventId: string): AppliedVersion[] {
    return this.tracked.get(eventId)?.applied ?? [];
  }

  /** The snapshots for an event, decoded from their compact form (seat by seat), in arrival order. */
  snapshots(eventId: string): DecodedSeatSnapshot[] {
    return this.received.flatMap((m) =>
      m.name === SeatMapEvents.snapshot && m.data.event_id === eventId ? [decodeSnapshot(m.data)] : [],
    );
  }

  /** The raw seat_update messages for an event, in arrival order, repeats included. */
  updates(eventId: string): SeatUpdate[] {
    return this.received.flatMap((m) => (m.name === SeatMapEvents.update && m.data.event_id === eventId ? [m.data] : []));
  }

  errors(): SeatMapError[] {
    return this.received.flatMap((m) => (m.name === SeatMapEvents.error ? [m.data] : []));
  }

  /** The client's seat statuses, by seat number. */
  seats(eventId: string): Map<number, DecodedSeatStatus> {
    return new Map(this.map(eventId).seats);
  }

  async waitForVersion(eventId: string, version: number, timeoutMs = 60_000): Promise<void> {
    await eventually(
      async () => (this.map(eventId).version >= version ? true : undefined),
      timeoutMs,
      `the Socket.IO client to reach version ${version} of ${eventId} (at ${this.map(eventId).version}, ` +
        `connected: ${this.socket.connected}, disconnects: ${JSON.stringify(this.disconnects)})`,
    );
  }

  async waitFor<T>(check: () => T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
    return eventually(async () => check(), timeoutMs, what);
  }

  close(): void {
    for (const tracked of this.tracked.values()) clearTimeout(tracked.resyncTimer);
    this.socket.disconnect();
  }

  private sendSubscribe(name: typeof SeatMapEvents.subscribe | typeof SeatMapEvents.resync, eventId: string): void {
    const version = this.tracked.get(eventId)?.sync.version ?? -1;
    this.socket.emit(name, version >= 0 ? { eventId, sinceVersion: version } : { eventId });
  }

  private scheduleResync(eventId: string, tracked: Tracked): void {
    if (tracked.resyncTimer) return;
    tracked.resyncTimer = setTimeout(() => {
      tracked.resyncTimer = undefined;
      if (!tracked.sync.hasGap() || this.tracked.get(eventId) !== tracked || !this.socket.connected) return;
      this.resyncs += 1;
      this.sendSubscribe(SeatMapEvents.resync, eventId);
    }, RESYNC_DELAY_MS);
  }
}

/** One server-sent event as parsed from the stream. */
export interface SseMessage {
  event: string;
  id: string | undefined;
  data: string;
}

/**
 * A reader of GET /events/:id/stream over plain fetch: parses text/event-stream (event, id, data
 * fields; comment lines; blank line dispatches) and records every message in order.
 */
export class SeatStreamReader {
  readonly messages: SseMessage[] = [];
  /** Comment lines (heartbeats) seen. */
  comments = 0;
  /** Settles when the server ends the stream or the reader is closed (never rejects: see `failure`). */
  readonly done: Promise<void>;
  /** Why reading stopped, when it was not the server ending the stream or close(). */
  failure: Error | undefined;
  private ended = false;

  private constructor(
    readonly status: number,
    readonly contentType: string | null,
    private readonly body: ReadableStream<Uint8Array>,
    private readonly controller: AbortController,
  ) {
    this.done = this.read();
  }

  /**
   * Opens the stream. Answers the reader when the server answered 200, else the status and the
   * JSON body of the refusal.
   */
  static async open(
    baseUrl: string,
    eventId: string,
    options: { lastEventId?: number; sinceVersion?: number } = {},
  ): Promise<{ status: number; reader: SeatStreamReader | undefined; body: unknown; contentType: string | null }> {
    const controller = new AbortController();
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (options.lastEventId !== undefined) headers['last-event-id'] = String(options.lastEventId);
    const query = options.sinceVersion !== undefined ? `?sinceVersion=${options.sinceVersion}` : '';
    const res = await fetch(`${baseUrl}/events/${eventId}/stream${query}`, { headers, signal: controller.signal });
    const contentType = res.headers.get('content-type');
    if (res.status !== 200 || !res.body) {
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Left as text for the assertion message.
      }
      return { status: res.status, reader: undefined, body, contentType };
    }
    return { status: res.status, reader: new SeatStreamReader(res.status, contentType, res.body, controller), body: undefined, contentType };
  }

  /** Whether the server ended the stream. */
  get closedByServer(): boolean {
    return this.ended;
  }

  /** The snapshots, decoded from their compact form (seat by seat). */
  snapshots(): DecodedSeatSnapshot[] {
    return this.messages.filter((m) => m.event === 'seat_snapshot').map((m) => decodeSnapshot(JSON.parse(m.data) as SeatSnapshot));
  }

  updates(): SeatUpdate[] {
    return this.messages.filter((m) => m.event === 'seat_update').map((m) => JSON.parse(m.data) as SeatUpdate);
  }

  /** The version of the last snapshot or update received, or -1. */
  lastVersion(): number {
    const last = this.messages.at(-1);
    return last ? (JSON.parse(last.data) as { version: number }).version : -1;
  }

  async waitForVersion(version: number, timeoutMs = 60_000): Promise<void> {
    await eventually(
      async () => (this.lastVersion() >= version ? true : undefined),
      timeoutMs,
      `the SSE stream to reach version ${version} (at ${this.lastVersion()})`,
    );
  }

  async close(): Promise<void> {
    this.controller.abort();
    await this.done;
  }

  private async read(): Promise<void> {
    const reader = this.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let event = '';
    let data: string[] = [];
    let id: string | undefined;
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        for (let newline = buffer.search(/\r\n|\r|\n/); newline >= 0; newline = buffer.search(/\r\n|\r|\n/)) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
          if (line === '') {
            if (data.length > 0) this.messages.push({ event: event || 'message', id, data: data.join('\n') });
            event = '';
            data = [];
            continue;
          }
          if (line.startsWith(':')) {
            this.comments += 1;
            continue;
          }
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const raw = colon < 0 ? '' : line.slice(colon + 1);
          const fieldValue = raw.startsWith(' ') ? raw.slice(1) : raw;
          if (field === 'event') event = fieldValue;
          else if (field === 'data') data.push(fieldValue);
          else if (field === 'id') id = fieldValue;
        }
      }
      this.ended = true;
    } catch (err) {
      if ((err as Error).name !== 'AbortError') this.failure = err as Error;
    }
  }
}
