import type { BookingStatus } from './statuses';

/** Server limits on extending a hold, fixed in the workflow's input when the booking starts. */
export interface HoldLimits {
  /** How many times one hold may be extended. */
  maxExtensions: number;
  /** Longest a hold may last in all, from when it was taken to its latest expiry. */
  maxTotalSeconds: number;
}

/** Used when the input carries none (workflows started before extensions existed). */
export const DEFAULT_HOLD_LIMITS: HoldLimits = { maxExtensions: 2, maxTotalSeconds: 900 };

export const MAX_EXTENSION_SECONDS = 3600;

/** The hold as the workflow knows it when an extension is asked for. */
export interface HoldView {
  status: BookingStatus;
  /** False once the workflow has decided the booking (a payment is being applied, a cancel, the timer). */
  open: boolean;
  expiresAt: string;
  /** When the hold was taken (ISO). */
  heldSince: string;
  extensions: number;
}

export type ExtensionDecision =
  | { kind: 'extend'; expiresAt: string }
  | { kind: 'refused'; code: 'EXTENSION_LIMIT' | 'HOLD_EXPIRED' | 'BOOKING_CLOSED'; message: string; details?: Record<string, unknown> };

/**
 * Whether a live hold may be extended by `seconds` at `nowMs`, and to when. An extension adds to the
 * current expiry; it is refused once the hold has lapsed, past the extension count, or when the
 * hold would then last longer than the total allowed. Pure, so the workflow can run it in a validator.
 */
export function decideExtension(hold: HoldView, limits: HoldLimits, seconds: number, nowMs: number): ExtensionDecision {
  if (hold.status === 'EXPIRED' || (hold.status === 'HELD' && nowMs >= Date.parse(hold.expiresAt))) {
    return { kind: 'refused', code: 'HOLD_EXPIRED', message: 'The hold has expired' };
  }
  if (hold.status !== 'HELD' || !hold.open) {
    return { kind: 'refused', code: 'BOOKING_CLOSED', message: `Booking is ${hold.status} and its hold cannot be extended` };
  }
  const details = {
    maxExtensions: limits.maxExtensions,
    extensionsUsed: hold.extensions,
    maxTotalSeconds: limits.maxTotalSeconds,
    expiresAt: hold.expiresAt,
  };
  if (hold.extensions >= limits.maxExtensions) {
    return { kind: 'refused', code: 'EXTENSION_LIMIT', message: `A hold may be extended at most ${limits.maxExtensions} times`, details };
  }
  const expiresAtMs = Date.parse(hold.expiresAt) + seconds * 1000;
  if (expiresAtMs - Date.parse(hold.heldSince) > limits.maxTotalSeconds * 1000) {
    return {
      kind: 'refused',
      code: 'EXTENSION_LIMIT',
      message: `A hold may last at most ${limits.maxTotalSeconds} seconds in all`,
      details: { ...details, latestExpiresAt: new Date(Date.parse(hold.heldSince) + limits.maxTotalSeconds * 1000).toISOString() },
    };
  }
  return { kind: 'extend', expiresAt: new Date(expiresAtMs).toISOString() };
}
