import { ApplicationFailure } from '@temporalio/common';
import { ErrorCode } from '../domain/errorCodes';
import type { HoldResult } from '../domain/booking';
import { holdSeats as holdSeatsQuery, type HoldRequest } from '../db/queries/holds';
import type { ActivityDeps } from './deps';

export function createHoldSeats({ pool }: ActivityDeps) {
  /** Holds all requested seats or none; throws SEAT_UNAVAILABLE naming the seats already taken. */
  return async function holdSeats(req: HoldRequest): Promise<HoldResult> {
    const outcome = await holdSeatsQuery(pool, req);
    switch (outcome.kind) {
      case 'held':
        return { bookingId: req.bookingId, amountCents: outcome.amountCents, expiresAt: outcome.expiresAt };
      case 'unavailable':
        throw ApplicationFailure.create({
          type: ErrorCode.SeatUnavailable,
          message: `Seats already taken: ${outcome.seats.join(', ')}`,
          details: [{ seats: outcome.seats }],
          nonRetryable: true,
        });
      case 'invalid':
        throw ApplicationFailure.create({ type: ErrorCode.InvalidSeats, message: outcome.message, nonRetryable: true });
      case 'closed':
        throw ApplicationFailure.create({
          type: ErrorCode.HoldExpired,
          message: `Booking is already ${outcome.status}`,
          nonRetryable: true,
        });
    }
  };
}
