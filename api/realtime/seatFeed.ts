import type { SeatUpdate } from '../../domain/seatMap';
import { ListenersByKey } from './listenersByKey';

type Listener = (update: SeatUpdate) => void;

/**
 * In-process fan-out of committed seat changes, by event. The realtime service feeds it; the SSE
 * endpoint reads from it. Each node has one.
 */
export class SeatFeed {
  private readonly listeners = new ListenersByKey<[SeatUpdate]>();
  private readonly everyEvent = new Set<Listener>();
  private readonly lastVersions = new Map<string, number>();

  /**
   * The version of the last change this node published for the event, or undefined if none since
   * it started: a change newer than this is still on its way to this node's listeners.
   */
  lastVersion(eventId: string): number | undefined {
    return this.lastVersions.get(eventId);
  }

  /** Every event's changes (the node's seat-map cache): called before the per-event listeners. */
  subscribeAll(listener: Listener): () => void {
    this.everyEvent.add(listener);
    return () => this.everyEvent.delete(listener);
  }

  subscribe(eventId: string, listener: Listener): () => void {
    return this.listeners.add(eventId, listener);
  }

  publish(update: SeatUpdate): void {
    this.lastVersions.set(update.event_id, Math.max(update.version, this.lastVersions.get(update.event_id) ?? 0));
    for (const listener of this.everyEvent) listener(update);
    this.listeners.call(update.event_id, update);
  }
}
