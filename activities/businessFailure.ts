import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';

/**
 * A failure that is an answer, not a fault (seat taken, hold expired): never retried, and logged
 * by the worker at debug level instead of as a warning with a stack trace.
 */
export function businessFailure(type: string, message: string, details?: unknown): ApplicationFailure {
  return ApplicationFailure.create({
    type,
    message,
    details: details === undefined ? undefined : [details],
    nonRetryable: true,
    category: ApplicationFailureCategory.BENIGN,
  });
}
