import type { Context, Next } from 'koa';
import { ErrorCode } from '../../domain/errorCodes';
import { AppError } from '../errors';
import { isDependencyDown } from '../lifecycle/dependencyDown';

interface HttpLikeError {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  message?: string;
}

/** Every failure leaves as `{error: true, code, message}`; only the unexpected become 500s, and are logged. */
export async function errorHandler(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
    if (ctx.status === 404 && ctx.body === undefined) {
      throw new AppError(ErrorCode.NotFound, `No route for ${ctx.method} ${ctx.path}`);
    }
  } catch (err) {
    const { status, code, message, details } = describe(err);
    // Checkout's 503s come by the thousand in a surge or an outage: one line each for an outage, none for load shedding.
    if (code === ErrorCode.TemporalUnavailable) console.warn(`[api] ${ctx.method} ${ctx.path}: ${code} (${message})`);
    else if (status === 503 && !(err instanceof AppError)) {
      // PostgreSQL or Temporal is away: said once per request line, without the stack, and the client may retry.
      console.error(`[api] ${ctx.method} ${ctx.path}: a dependency is unreachable (${(err as Error).message})`);
      ctx.set('Retry-After', '2');
    } else if (status >= 500 && code !== ErrorCode.Busy) console.error(`[api] ${ctx.method} ${ctx.path} failed:`, err);
    // A refusal that says when to come back (BUSY, TEMPORAL_UNAVAILABLE) says it in the header too.
    const retryAfter = details?.retryAfterSeconds;
    if (typeof retryAfter === 'number' && !ctx.response.get('Retry-After')) ctx.set('Retry-After', String(retryAfter));
    ctx.status = status;
    ctx.body = { error: true, code, message, ...(details ? { details } : {}) };
  }
}

function describe(err: unknown): { status: number; code: string; message: string; details?: Record<string, unknown> } {
  if (err instanceof AppError) return { status: err.status, code: err.code, message: err.message, details: err.details };
  const httpErr = err as HttpLikeError;
  const status = httpErr?.status ?? httpErr?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = status === 405 ? ErrorCode.MethodNotAllowed : status === 404 ? ErrorCode.NotFound : ErrorCode.ValidationFailed;
    return { status, code, message: httpErr.message ?? 'Bad request' };
  }
  if (isDependencyDown(err)) {
    return { status: 503, code: ErrorCode.ServiceUnavailable, message: 'A service this API depends on is unreachable right now: retry shortly' };
  }
  return { status: 500, code: ErrorCode.Internal, message: 'Internal server error' };
}
