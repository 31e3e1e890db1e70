import type { Client } from '@temporalio/client';

/** Checkout's deadline passed before Temporal answered; `cause` is what the call failed with, if anything. */
export class CheckoutDeadlinePassed extends Error {
  constructor(options?: { cause?: unknown }) {
    super('The checkout deadline passed before the hold was known', options);
    this.name = 'CheckoutDeadlinePassed';
  }
}

/**
 * Runs a Temporal call until `deadline` (epoch ms) at most. At the deadline the call's gRPC requests
 * are cancelled and CheckoutDeadlinePassed is thrown, whether or not the cancellation is noticed at
 * once (the client may be backing off between retries of an unreachable server).
 */
export async function withinDeadline<T>(temporal: Client, deadline: number, call: () => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new CheckoutDeadlinePassed());
    }, Math.max(0, deadline - Date.now()));
  });
  const running = temporal.withAbortSignal(controller.signal, call);
  // Once the deadline won, the abandoned call's own failure is of no interest.
  running.catch(() => undefined);
  try {
    return await Promise.race([running, expired]);
  } catch (err) {
    if (controller.signal.aborted && !(err instanceof CheckoutDeadlinePassed)) throw new CheckoutDeadlinePassed({ cause: err });
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
