import { ApplicationFailure } from '@temporalio/workflow';
import { ErrorCode } from '../domain/errorCodes';
import type { BookingStatus } from '../domain/statuses';

/** The failure for acting on a booking that is already `status`: HOLD_EXPIRED or BOOKING_CLOSED. */
export function closedFailure(status: BookingStatus): ApplicationFailure {
  const expired = status === 'EXPIRED';
  return ApplicationFailure.create({
    type: expired ? ErrorCode.HoldExpired : ErrorCode.BookingClosed,
    message: expired ? 'The hold expired before payment arrived' : `Booking is ${status}`,
    nonRetryable: true,
  });
}
