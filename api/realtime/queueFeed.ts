type Listener = () => void;

/**
 * This node's news of waiting-room queues: "event X's queue moved" (buyers admitted, lapsed, sold
 * out, the sale opened). Each node's listeners (queue sockets, SSE streams) then read their own
 * places and push what changed. `announce` reaches every node: the realtime service relays it over
 * the Socket.IO adapter when there is Redis.
 */
export class QueueFeed {
  private readonly listeners = new Map<string, Set<Listener>>();
  private relay: ((eventId: string) => void) | undefined;

  subscribe(eventId: string, listener: Listener): () => void {
    let set = this.listeners.get(eventId);
    if (!set) {
      set = new Set();
      this.listeners.set(eventId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(eventId) === set) this.listeners.delete(eventId);
    };
  }

  /** This node's listeners only (a relayed announcement arriving from another node). */
  publish(eventId: string): void {
    for (const listener of this.listeners.get(eventId) ?? []) listener();
  }

  /** Every node's listeners. */
  announce(eventId: string): void {
    this.publish(eventId);
    this.relay?.(eventId);
  }

  /** Set by the realtime service when nodes share Redis. */
  relayTo(relay: (eventId: string) => void): void {
    this.relay = relay;
  }
}
