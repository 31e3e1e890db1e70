import { WorkflowNotFoundError } from '@temporalio/client';
import { type ApplicationFailure, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ErrorCode } from '../../domain/errorCodes';
import type { BookingStatus } from '../../domain/statuses';
import {
  AppError,
  bookingClosed,
  buyerLimitExceeded,
  holdExpired,
  invalidSeats,
  notCancellable,
  seatUnavailable,
} from '../errors';

/** Turns a workflow's business failure into the API error that means the same. */
export function toAppError(failure: ApplicationFailure): AppError {
  switch (failure.type) {
    case ErrorCode.SeatUnavailable: {
      const detail = failure.details?.[0] as { seats?: number[] } | undefined;
      return seatUnavailable(detail?.seats ?? []);
    }
    case ErrorCode.InvalidSeats:
      return invalidSeats(failure.message);
    case ErrorCode.BuyerLimitExceeded:
      return buyerLimitExceeded(failure.message, (failure.details?.[0] as { limit?: number; requested?: number }) ?? {});
    case ErrorCode.HoldExpired:
      return holdExpired();
    case ErrorCode.NotCancellable:
      return new AppError(409, ErrorCode.NotCancellable, failure.message);
    case ErrorCode.BookingClosed:
      return new AppError(409, ErrorCode.BookingClosed, failure.message);
    case ErrorCode.ValidationFailed:
      return new AppError(400, ErrorCode.ValidationFailed, failure.message);
    // Limits and policies that say why: their details (limits, deadline, refusal) go to the caller.
    case ErrorCode.ExtensionLimit:
    case ErrorCode.CancellationClosed:
    case ErrorCode.RefundRefused:
      return new AppError(409, failure.type, failure.message, failure.details?.[0] as Record<string, unknown> | undefined);
    default:
      return new AppError(409, failure.type ?? ErrorCode.BookingClosed, failure.message);
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
