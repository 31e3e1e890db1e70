import { io, type Socket } from 'socket.io-client';
import { SeatMapEvents, type SeatSnapshot, type SeatUpdate } from '../domain/seatMap';
import { SeatMapSync } from '../domain/seatMapSync';

export type ConnectionState = 'connecting' | 'live' | 'offline';

export interface LiveSeatMapHandlers {
  /** The seat map changed (snapshot or applied updates). */
  onChange(sync: SeatMapSync): void;
  onConnection(state: ConnectionState): void;
  onError(message: string): void;
}

const RESYNC_RETRY_MS = 2000;

/**
 * One event's seat map kept live over Socket.IO: subscribes (again, with the last applied version,
 * after every reconnect), applies snapshots and updates through SeatMapSync, and asks for what it
 * missed when versions are skipped.
 */
export class LiveSeatMap {
  private readonly socket: Socket;
  private eventId: string | undefined;
  private sync = new SeatMapSync();
  private resyncTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly handlers: LiveSeatMapHandlers) {
    this.socket = io({ transports: ['websocket', 'polling'] });
    handlers.onConnection('connecting');
    this.socket.on('connect', () => {
      handlers.onConnection('live');
      this.subscribe(SeatMapEvents.subscribe);
    });
    this.socket.on('disconnect', () => handlers.onConnection(this.socket.active ? 'connecting' : 'offline'));
    this.socket.on('connect_error', () => handlers.onConnection(this.socket.active ? 'connecting' : 'offline'));
    this.socket.on(SeatMapEvents.snapshot, (snapshot: SeatSnapshot) => {
      if (snapshot.event_id !== this.eventId) return;
      this.sync.applySnapshot(snapshot);
      this.afterChange();
    });
    this.socket.on(SeatMapEvents.update, (update: SeatUpdate) => {
      if (update.event_id !== this.eventId) return;
      const outcome = this.sync.applyUpdate(update);
      if (outcome === 'applied') this.afterChange();
      else if (outcome === 'gap') this.resync();
    });
    this.socket.on(SeatMapEvents.error, (error: { message?: string }) => {
      handlers.onError(error.message ?? 'The live seat map reported an error');
    });
  }

  /** Follows another event (or the same one afresh). */
  show(eventId: string): void {
    if (this.eventId && this.socket.connected) this.socket.emit(SeatMapEvents.unsubscribe, { eventId: this.eventId });
    this.eventId = eventId;
    this.sync = new SeatMapSync();
    this.clearResync();
    if (this.socket.connected) this.subscribe(SeatMapEvents.subscribe);
  }

  private subscribe(kind: typeof SeatMapEvents.subscribe | typeof SeatMapEvents.resync): void {
    if (!this.eventId) return;
    const since = this.sync.version >= 0 ? { sinceVersion: this.sync.version } : {};
    this.socket.emit(kind, { eventId: this.eventId, ...since });
  }

  private afterChange(): void {
    if (this.sync.hasGap()) this.resync();
    else this.clearResync();
    this.handlers.onChange(this.sync);
  }

  /** Asks once for what came after the last applied version; asks again if the gap outlives a retry period. */
  private resync(): void {
    if (this.resyncTimer !== undefined) return;
    this.subscribe(SeatMapEvents.resync);
    this.resyncTimer = setTimeout(() => {
      this.resyncTimer = undefined;
      if (this.sync.hasGap()) this.resync();
    }, RESYNC_RETRY_MS);
  }

  private clearResync(): void {
    clearTimeout(this.resyncTimer);
    this.resyncTimer = undefined;
  }
}
