import { ListenersByKey } from './listenersByKey';

type Listener = () => void;

/**
 * This node's news of waiting-room queues: "event X's queue moved" (buyers admitted, lapsed, sold
 * out, the sale opened). Each node's listeners (queue sockets, SSE streams) then read their own
 * places and push what changed. `announce` reaches every node: the realtime service relays it over
 * the Socket.IO adapter when there is Redis.
 */
export class QueueFeed {
  private readonly listeners = new ListenersByKey<[]>();
  private relay: ((eventId: string) => void) | undefined;

  subscribe(eventId: string, listener: Listener): () => void {
    return this.listeners.add(eventId, listener);
  }

  /** This node's listeners only (a relayed announcement arriving from another node). */
  publish(eventId: string): void {
    this.listeners.call(eventId);
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
