/**
 * Whether this node's Redis connections serve, and why not: GET /health reports the node
 * `degraded` while one does not. Redis is optional for an API node (rate limits fall back to memory,
 * Socket.IO to this node alone), so a Redis outage degrades the node but never stops it.
 */
export interface RedisConnection {
  on(event: 'ready', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

export type RedisState = { state: 'up' } | { state: 'down'; reason: string };

export class RedisHealth {
  // Connection name → why it does not serve; absent once ready.
  private readonly down = new Map<string, string>();

  constructor(private readonly log: (line: string) => void = () => undefined) {}

  /** Follows one connection; it counts as down until its first `ready`. */
  watch(name: string, client: RedisConnection): void {
    this.down.set(name, 'not connected yet');
    client.on('ready', () => {
      const wasDown = this.down.get(name);
      this.down.delete(name);
      if (wasDown !== 'not connected yet') this.log(`redis connection "${name}" up again`);
    });
    client.on('error', (err: Error) => {
      // Reported once per outage, not on every reconnect attempt.
      if (!this.down.has(name) || this.down.get(name) === 'not connected yet') this.log(`redis connection "${name}" down (${err.message})`);
      this.down.set(name, err.message || err.name);
    });
  }

  status(): RedisState {
    if (this.down.size === 0) return { state: 'up' };
    const [name, reason] = this.down.entries().next().value as [string, string];
    return { state: 'down', reason: `${name}: ${reason}` };
  }
}
