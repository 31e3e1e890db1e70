import { ApplicationFailure } from '@temporalio/common';

/**
 * The business failure inside `err`, if any: an ApplicationFailure itself, or one wrapped by an
 * activity failure, an update failure or a workflow failure.
 */
export function findApplicationFailure(err: unknown): ApplicationFailure | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (current instanceof ApplicationFailure) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
