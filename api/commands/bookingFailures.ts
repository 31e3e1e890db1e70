import { WorkflowNotFoundError } from '@temporalio/client';
import { type ApplicationFailure, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ErrorCode } from '../../domain/errorCodes';
import type { BookingStatus } from '../../domain/statuses';
import { AppError, bookingClosed, causedBy, holdExpired, isErrorCode, notCancellable, seatUnavailable } from '../errors';

/**
 * Turns a workflow's business failure into the API error that means the same, its cause kept. The
 * status comes from the one error table (api/errors.ts); a type we do not know is a bug: a 500.
 */
export function toAppError(failure: ApplicationFailure): AppError {
  const details = failure.details?.[0] as Record<string, unknown> | undefined;
  switch (failure.type) {
    case ErrorCode.SeatUnavailable:
      return causedBy(seatUnavailable((details as { seats?: number[] } | undefined)?.seats ?? []), failure);
    case ErrorCode.HoldExpired:
      return causedBy(holdExpired(), failure);
    default:
      if (isErrorCode(failure.type)) return new AppError(failure.type, failure.message, details, { cause: failure });
      return new AppError(ErrorCode.Internal, 'Internal server error', undefined, { cause: failure });
  }
}

/** The workflow is gone (closed, or never started): its answer has to come from the database. */
export function isWorkflowClosed(err: unknown): boolean {
  if (err instanceof WorkflowNotFoundError || err instanceof WorkflowExecutionAlreadyStartedError) return true;
  const message = (err as Error)?.message ?? '';
  return /workflow execution already completed|not found/i.test(message);
}

/** The error for acting on a booking that has already reached `status`. */
export function closedBookingError(status: BookingStatus, action: 'confirm' | 'cancel'): AppError {
  if (action === 'cancel') return notCancellable(status);
  return status === 'EXPIRED' ? holdExpired() : bookingClosed(status);
}
