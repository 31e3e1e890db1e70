import { emptySeatMap, setSeat } from '../../domain/seatBitmap';
import type { SeatUpdate } from '../../domain/seatMap';
import type { Pool } from '../../db/pool';
import { readSeatMapState, readSeatVersion } from '../../db/queries/seatMaps';
import type { SeatFeed } from './seatFeed';
import { SeatMapView } from './seatMapView';

export interface SeatMapCacheOptions {
  /** Events kept at most; the least recently read goes first. */
  maxEvents: number;
  /** How often (at most) a read checks in the background that a kept map has missed no change. */
  verifyAfterMs: number;
  /** A change seen in the database but not yet through the feed gets this long before the map reloads. */
  graceMs?: number;
  log?: (line: string) => void;
}

interface Entry {
  eventId: string;
  /** Settles once the first load is done: true when the event exists. */
  ready: Promise<boolean>;
  loaded: boolean;
  bitmap: Uint8Array;
  totalSeats: number;
  version: number;
  /** Changes that arrived before the versions they follow (or before the first load). */
  early: Map<number, SeatUpdate>;
  view: SeatMapView | undefined;
  checkedAt: number;
  checking: boolean;
  reloadPending: boolean;
  /** A reload for reads that waited in vain for the feed (`getAtLeast`), shared by them. */
  catchingUp: Promise<boolean> | undefined;
  /** Reads waiting for the map to reach a version (`getAtLeast`). */
  waiters: { version: number; wake: () => void }[];
}

/**
 * This node's compact seat maps, kept current from the committed seat changes the node already
 * receives (the feed: the LISTEN relay, or other nodes' relay over Redis), so a read costs no query.
 * An event's first read loads its map once. Changes are applied strictly in version order; a gap
 * (a change lost while the listener reconnected) or a map found behind the database reloads it.
 */
export class SeatMapCache {
  private readonly entries = new Map<string, Entry>();
  private readonly unsubscribe: () => void;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly log: (line: string) => void;
  /** Loads from the database, for tests and the benchmark's report. */
  loads = 0;

  constructor(
    private readonly pool: Pool,
    feed: SeatFeed,
    private readonly options: SeatMapCacheOptions,
  ) {
    this.log = options.log ?? ((line) => console.log(`[seat-map] ${line}`));
    this.unsubscribe = feed.subscribeAll((update) => this.onUpdate(update));
  }

  /** The event's current map, or undefined when there is no such event. */
  async get(eventId: string): Promise<SeatMapView | undefined> {
    let entry = this.entries.get(eventId);
    if (entry) {
      // Most recently read last: eviction takes the first.
      this.entries.delete(eventId);
      this.entries.set(eventId, entry);
    } else {
      entry = this.startLoad(eventId);
    }
    if (!(await entry.ready)) return undefined;
    this.verifyLater(entry);
    return this.viewOf(entry);
  }

  /**
   * The event's map at `version` or later, for a read that must see a change the database already
   * has (GET /events/:id after a booking). The change is normally on its way through the feed and
   * arrives within milliseconds; if it has not after `waitMs`, the map is read again from the database.
   */
  async getAtLeast(eventId: string, version: number, waitMs: number): Promise<SeatMapView | undefined> {
    const view = await this.get(eventId);
    const entry = this.entries.get(eventId);
    if (!view || !entry || entry.version >= version) return view;
    const arrived = await new Promise<boolean>((resolve) => {
      const waiter = { version, wake: () => resolve(true) };
      entry.waiters.push(waiter);
      const timer = setTimeout(() => {
        entry.waiters = entry.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, waitMs);
      timer.unref();
    });
    if (!arrived && entry.version < version && this.entries.get(eventId) === entry) {
      // One reload for all the reads that waited in vain.
      entry.catchingUp ??= this.load(entry).finally(() => (entry.catchingUp = undefined));
      await entry.catchingUp;
    }
    return this.viewOf(entry);
  }

  /**
   * A read that cannot wait (the hot path, api/hotPath): the map if it is loaded, counted as a read
   * like `get` (recency, the background check); undefined otherwise, and the caller takes the slow way.
   */
  peekFresh(eventId: string): SeatMapView | undefined {
    const entry = this.entries.get(eventId);
    if (!entry?.loaded) return undefined;
    this.entries.delete(eventId);
    this.entries.set(eventId, entry);
    this.verifyLater(entry);
    return this.viewOf(entry);
  }

  /**
   * The map as it is now, without waiting: undefined unless loaded. Read in the same tick as a
   * socket joins its room, so the snapshot and the room's updates meet without a gap.
   */
  peek(eventId: string): SeatMapView | undefined {
    const entry = this.entries.get(eventId);
    return entry?.loaded ? this.viewOf(entry) : undefined;
  }

  private viewOf(entry: Entry): SeatMapView {
    entry.view ??= new SeatMapView(entry.eventId, entry.version, entry.totalSeats, Buffer.from(entry.bitmap));
    return entry.view;
  }

  close(): void {
    this.unsubscribe();
    for (const timer of this.timers) clearTimeout(timer);
    this.entries.clear();
  }

  private startLoad(eventId: string): Entry {
    const entry: Entry = {
      eventId,
      ready: Promise.resolve(false),
      loaded: false,
      bitmap: new Uint8Array(0),
      totalSeats: 0,
      version: -1,
      early: new Map(),
      view: undefined,
      checkedAt: Date.now(),
      checking: false,
      reloadPending: false,
      waiters: [],
      catchingUp: undefined,
    };
    // In the map before the query starts, so changes committed meanwhile are kept in `early`.
    this.entries.set(eventId, entry);
    this.evict();
    entry.ready = this.load(entry).then(
      (found) => {
        if (!found && this.entries.get(eventId) === entry) this.entries.delete(eventId);
        return found;
      },
      (err: unknown) => {
        if (this.entries.get(eventId) === entry) this.entries.delete(eventId);
        throw err;
      },
    );
    return entry;
  }

  /** (Re)reads the event's map; keeps it only if it is newer than what the entry has (or as new, when `whole`). */
  private async load(entry: Entry, whole = false): Promise<boolean> {
    this.loads += 1;
    const state = await readSeatMapState(this.pool, entry.eventId);
    if (!state) return false;
    if (state.version > entry.version || (whole && state.version === entry.version)) {
      const bitmap = emptySeatMap(state.totalSeats);
      for (const seat of state.taken) setSeat(bitmap, seat.seat_id, seat.status);
      entry.bitmap = bitmap;
      entry.totalSeats = state.totalSeats;
      entry.version = state.version;
      entry.view = undefined;
    }
    entry.loaded = true;
    this.drain(entry);
    return true;
  }

  private onUpdate(update: SeatUpdate): void {
    const entry = this.entries.get(update.event_id);
    if (!entry) return;
    if (entry.loaded && update.version <= entry.version) return;
    entry.early.set(update.version, update);
    if (entry.loaded) this.drain(entry);
  }

  /** Applies the held-back changes that follow the entry's version; a gap left behind triggers a reload. */
  private drain(entry: Entry): void {
    for (const version of entry.early.keys()) if (version <= entry.version) entry.early.delete(version);
    for (let next = entry.early.get(entry.version + 1); next; next = entry.early.get(entry.version + 1)) {
      entry.early.delete(next.version);
      for (const seat of next.seats) {
        if (seat.seat_id >= 1 && seat.seat_id <= entry.totalSeats) setSeat(entry.bitmap, seat.seat_id, seat.status);
        // Seat rows added after the map was read (a layout changed): read the map again, whole.
        else this.reloadLater(entry);
      }
      entry.version = next.version;
      entry.view = undefined;
    }
    if (entry.early.size > 0) this.reloadIfStillBehind(entry, Math.min(...entry.early.keys()) - 1);
    if (entry.waiters.length > 0) {
      const due = entry.waiters.filter((w) => w.version <= entry.version);
      entry.waiters = entry.waiters.filter((w) => w.version > entry.version);
      for (const waiter of due) waiter.wake();
    }
  }

  /** In the background, at most once per verifyAfterMs: does the database know a newer version? */
  private verifyLater(entry: Entry): void {
    if (entry.checking || Date.now() - entry.checkedAt < this.options.verifyAfterMs) return;
    entry.checking = true;
    entry.checkedAt = Date.now();
    readSeatVersion(this.pool, entry.eventId).then(
      (version) => {
        entry.checking = false;
        if (version === undefined) this.entries.delete(entry.eventId);
        else if (version > entry.version) this.reloadIfStillBehind(entry, version);
      },
      (err: Error) => {
        entry.checking = false;
        this.log(`could not check the seat map of ${entry.eventId}: ${err.message}`);
      },
    );
  }

  /** The change may still be on its way through the feed: reload only if it has not come after a grace period. */
  private reloadIfStillBehind(entry: Entry, version: number): void {
    if (entry.reloadPending) return;
    entry.reloadPending = true;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      entry.reloadPending = false;
      if (this.entries.get(entry.eventId) !== entry || entry.version >= version) return;
      this.log(`seat map of ${entry.eventId} missed changes after version ${entry.version}: reloading`);
      this.load(entry).catch((err: Error) => this.log(`could not reload the seat map of ${entry.eventId}: ${err.message}`));
    }, this.options.graceMs ?? 1000);
    timer.unref();
    this.timers.add(timer);
  }

  private reloadLater(entry: Entry): void {
    if (entry.reloadPending) return;
    entry.reloadPending = true;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      entry.reloadPending = false;
      if (this.entries.get(entry.eventId) !== entry) return;
      this.load(entry, true).catch((err: Error) => this.log(`could not reload the seat map of ${entry.eventId}: ${err.message}`));
    }, 0);
    timer.unref();
    this.timers.add(timer);
  }

  private evict(): void {
    for (const eventId of this.entries.keys()) {
      if (this.entries.size <= this.options.maxEvents) return;
      this.entries.delete(eventId);
    }
  }
}
