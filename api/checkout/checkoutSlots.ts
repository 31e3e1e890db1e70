import { busy } from '../errors';

/** Seconds a buyer turned away for load is told to wait: about one hold's latency under saturation. */
export const BUSY_RETRY_AFTER_SECONDS = 2;

/**
 * The checkouts one API node runs at once. Each waits on Temporal (a long poll for the hold), and
 * Temporal caps long polls per namespace: past the bound a buyer is answered 503 BUSY at once,
 * before anything is started or held, instead of joining a pile that ends in RESOURCE_EXHAUSTED.
 */
export class CheckoutSlots {
  private running = 0;

  constructor(readonly capacity: number) {}

  get inFlight(): number {
    return this.running;
  }

  /** Runs `checkout` in a slot, or throws BUSY when none is free. */
  async run<T>(checkout: () => Promise<T>): Promise<T> {
    if (this.running >= this.capacity) throw busy(BUSY_RETRY_AFTER_SECONDS);
    this.running++;
    try {
      return await checkout();
    } finally {
      this.running--;
    }
  }
}
