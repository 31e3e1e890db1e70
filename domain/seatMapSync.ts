import { decodedStatusOf, type DecodedSeatStatus } from './seatBitmap';
import type { SeatSnapshot, SeatUpdate } from './seatMap';
import { snapshotStatuses } from './seatSnapshot';

export type UpdateOutcome = 'applied' | 'stale' | 'buffered' | 'gap';

/**
 * A client's copy of one event's seat map, kept exact from a snapshot and versioned updates.
 * Updates are applied strictly in version order, each once; an update from the future is held
 * until the versions before it arrive, and the caller is told to resync ('gap'). Pure: used by the
 * seat-map page and by the tests alike.
 */
export class SeatMapSync {
  /** -1 until the first snapshot (or caught-up resync) arrives. */
  version = -1;
  readonly seats = new Map<number, DecodedSeatStatus>();
  private readonly early = new Map<number, SeatUpdate>();

  applySnapshot(snapshot: SeatSnapshot): void {
    if (snapshot.version < this.version) return;
    this.seats.clear();
    snapshotStatuses(snapshot).forEach((status, i) => this.seats.set(i + 1, status));
    this.version = snapshot.version;
    this.drain();
  }

  applyUpdate(update: SeatUpdate): UpdateOutcome {
    if (this.version >= 0 && update.version <= this.version) return 'stale';
    if (this.version < 0 || update.version > this.version + 1) {
      this.early.set(update.version, update);
      return this.version < 0 ? 'buffered' : 'gap';
    }
    this.apply(update);
    this.drain();
    return 'applied';
  }

  /** Versions are missing before some held-back update: ask the server for what came after `version`. */
  hasGap(): boolean {
    return this.version >= 0 && this.early.size > 0;
  }

  private apply(update: SeatUpdate): void {
    for (const seat of update.seats) this.seats.set(seat.seat_id, decodedStatusOf(seat.status));
    this.version = update.version;
  }

  private drain(): void {
    for (const version of [...this.early.keys()]) if (version <= this.version) this.early.delete(version);
    for (let next = this.early.get(this.version + 1); next; next = this.early.get(this.version + 1)) {
      this.early.delete(next.version);
      this.apply(next);
    }
  }
}
