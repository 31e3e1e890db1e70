import { ApplicationFailure, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { BookingState } from '../domain/booking';
import { ErrorCode, NON_RETRYABLE_FAILURES } from '../domain/errorCodes';
import { findApplicationFailure } from '../domain/failures';
import { decideExtension, MAX_EXTENSION_SECONDS, type ExtensionDecision, type HoldLimits } from '../domain/holdExtension';
import { extendHoldUpdate } from '../domain/messages';
import { closedFailure } from './bookingFailures';

const { extendHold } = proxyActivities<Activities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '200 ms', maximumInterval: '10 seconds', nonRetryableErrorTypes: NON_RETRYABLE_FAILURES },
});

export interface HoldExtensionContext {
  bookingId: string;
  /** The booking workflow's state: its status, expiry and extension count are read and updated here. */
  state: BookingState;
  heldSince: string;
  /** Seconds an extension adds when the buyer names none: the event's hold time. */
  defaultSeconds: number;
  limits: HoldLimits;
  /** False once the workflow is settling the booking (paid, cancelled, timed out). */
  isOpen: () => boolean;
  onExtended: () => void;
}

/**
 * Handles the extendHold update. The validator refuses, before anything enters history, what the
 * limits do not allow; an accepted extension moves the database expiry first (so the backstop
 * follows it) and then the workflow's, which its hold timer waits on. Extensions run one at a time
 * and are checked again when their turn comes. `inProgress` tells the timer to wait for one.
 */
export function installExtendHoldHandler(ctx: HoldExtensionContext): { inProgress: () => boolean } {
  let extending = false;

  const decide = (arg: { seconds?: number } | undefined): ExtensionDecision => {
    const seconds = arg?.seconds ?? ctx.defaultSeconds;
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_EXTENSION_SECONDS) {
      throw ApplicationFailure.create({
        type: ErrorCode.ValidationFailed,
        message: `seconds must be an integer from 1 to ${MAX_EXTENSION_SECONDS}`,
        nonRetryable: true,
      });
    }
    const hold = {
      status: ctx.state.status,
      open: ctx.isOpen(),
      expiresAt: ctx.state.expiresAt ?? ctx.heldSince,
      heldSince: ctx.heldSince,
      extensions: ctx.state.holdExtensions,
    };
    return decideExtension(hold, ctx.limits, seconds, Date.now());
  };
  const refuseUnlessAllowed = (decision: ExtensionDecision): string => {
    if (decision.kind === 'extend') return decision.expiresAt;
    throw ApplicationFailure.create({
      type: decision.code,
      message: decision.message,
      details: decision.details ? [decision.details] : undefined,
      nonRetryable: true,
    });
  };

  setHandler(
    extendHoldUpdate,
    async (arg) => {
      await condition(() => !extending);
      const expiresAt = refuseUnlessAllowed(decide(arg));
      extending = true;
      try {
        await extendHold(ctx.bookingId, expiresAt, ctx.state.holdExtensions + 1);
        ctx.state.expiresAt = expiresAt;
        ctx.state.holdExtensions += 1;
      } catch (err) {
        // The database backstop released the hold first.
        if (findApplicationFailure(err)?.type === ErrorCode.HoldExpired) throw closedFailure('EXPIRED');
        throw err;
      } finally {
        extending = false;
      }
      ctx.onExtended();
      return ctx.state;
    },
    { validator: (arg) => void refuseUnlessAllowed(decide(arg)) },
  );

  return { inProgress: () => extending };
}
