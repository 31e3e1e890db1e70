/**
 * Whether an error means a service the API depends on (PostgreSQL, Temporal, the waiting room's Redis) cannot be reached
 * right now, as opposed to a bug: the buyer is then told 503 with `Retry-After`, not 500, since
 * trying again shortly is the right thing to do (the launcher or the operator brings it back).
 */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
// PostgreSQL: class 08 (connection exception), and the server shutting down or starting up.
const POSTGRES_DOWN = /^(08...|57P01|57P02|57P03)$/;
// node-postgres's own words for a connection it lost or could not open in time.
const PG_CONNECTION_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i;
// node-redis refusing a command while its connection is down (offline queue disabled) or closed.
const REDIS_DOWN_MESSAGES = /^The client is (closed|offline)/;
// gRPC status UNAVAILABLE (Temporal's frontend not reachable).
const GRPC_UNAVAILABLE = 14;

interface ErrorShape {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
}

export function isDependencyDown(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const { code, message, cause, errors } = err as ErrorShape;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || POSTGRES_DOWN.test(code))) return true;
  if (code === GRPC_UNAVAILABLE) return true;
  if (typeof message === 'string' && (PG_CONNECTION_MESSAGES.test(message) || REDIS_DOWN_MESSAGES.test(message))) return true;
  // AggregateError (a connect to several addresses) and wrapped errors.
  if (Array.isArray(errors) && errors.some((e) => isDependencyDown(e, depth + 1))) return true;
  return isDependencyDown(cause, depth + 1);
}
