import { isGrpcServiceError } from '@temporalio/client';

// gRPC's status code RESOURCE_EXHAUSTED (grpc-js's `status` enum is not a dependency of ours).
const GRPC_RESOURCE_EXHAUSTED = 8;

/**
 * Temporal refused the call for load (RESOURCE_EXHAUSTED: a namespace's RPS or concurrent long-poll
 * limit), after the client's own retries: the error itself or one of its causes says so.
 */
export function isTemporalOverloaded(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; depth < 6 && current; depth++) {
    if (isGrpcServiceError(current) && current.code === GRPC_RESOURCE_EXHAUSTED) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
