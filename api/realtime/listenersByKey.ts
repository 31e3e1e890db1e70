/** Listeners grouped by a key (an event id): added, removed, and called for one key. */
export class ListenersByKey<Args extends unknown[]> {
  private readonly byKey = new Map<string, Set<(...args: Args) => void>>();

  /** Answers a function that removes the listener (and the key once it has none). */
  add(key: string, listener: (...args: Args) => void): () => void {
    let set = this.byKey.get(key);
    if (!set) {
      set = new Set();
      this.byKey.set(key, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.byKey.get(key) === set) this.byKey.delete(key);
    };
  }

  call(key: string, ...args: Args): void {
    for (const listener of this.byKey.get(key) ?? []) listener(...args);
  }
}
