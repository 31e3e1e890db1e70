import { ApplicationFailure } from '@temporalio/common';
import { ErrorCode } from '../domain/errorCodes';
import { buyerLimitMessage } from '../domain/event';
import { notEnoughSeatsMessage } from '../domain/layout';
import type { HoldResult } from '../domain/booking';
import { holdSeats as holdSeatsQuery, type HoldRequest } from '../db/queries/holds';
import { holdPickedSeats } from '../db/queries/pickedHolds';
import { businessFailure } from './businessFailure';
import type { Pool } from '../db/pool';
import type { ActivityDeps } from './deps';

export function createHoldSeats({ pool, holdOutcomes, holdQuery = holdSeatsQuery }: ActivityDeps) {
  const hold = createHold(pool, holdQuery);
  if (!holdOutcomes) return hold;
  /** The hold, reported to the API checkout of this process that waits for it (see HoldOutcomes). */
  return async function holdSeats(req: HoldRequest): Promise<HoldResult> {
    holdOutcomes.attemptStarted(req.bookingId);
    try {
      const result = await hold(req);
      holdOutcomes.report(req.bookingId, { kind: 'held', result });
      return result;
    } catch (err) {
      const refused = err instanceof ApplicationFailure && err.nonRetryable;
      holdOutcomes.report(req.bookingId, refused ? { kind: 'refused', failure: err } : { kind: 'retrying' });
      throw err;
    }
  };
}

function createHold(pool: Pool, holdQuery: NonNullable<ActivityDeps['holdQuery']>) {
  /** Holds all requested seats or none; throws SEAT_UNAVAILABLE naming the seats already taken. */
  return async function holdSeats(req: HoldRequest): Promise<HoldResult> {
    const outcome = req.pick ? await holdPickedSeats(pool, req) : await holdQuery(pool, req);
    switch (outcome.kind) {
      case 'held':
        return {
          bookingId: req.bookingId,
          amountCents: outcome.amountCents,
          expiresAt: outcome.expiresAt,
          ...(outcome.seatNumbers ? { seatNumbers: outcome.seatNumbers } : {}),
          ...(outcome.seats ? { seats: outcome.seats } : {}),
        };
      case 'not_enough':
        throw businessFailure(ErrorCode.NotEnoughSeats, notEnoughSeatsMessage(req.pick, outcome.available), {
          available: outcome.available,
        });
      case 'unavailable':
        throw businessFailure(ErrorCode.SeatUnavailable, `Seats already taken: ${outcome.seats.join(', ')}`, {
          seats: outcome.seats,
        });
      case 'invalid':
        throw businessFailure(ErrorCode.InvalidSeats, outcome.message);
      case 'limit':
        throw businessFailure(
          ErrorCode.BuyerLimitExceeded,
          buyerLimitMessage(outcome.limit),
          { limit: outcome.limit, requested: outcome.requested },
        );
      case 'deadline':
        throw businessFailure(ErrorCode.CheckoutTimedOut, 'Checkout gave up on this booking before its seats were held');
      case 'closed':
        throw businessFailure(ErrorCode.HoldExpired, `Booking is already ${outcome.status}`);
    }
  };
}
