import type { Context, Next } from 'koa';
import { ErrorCode } from '../../domain/errorCodes';
import { AppError } from '../errors';

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
    if (status >= 500) console.error(`[api] ${ctx.method} ${ctx.path} failed:`, err);
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
  return { status: 500, code: ErrorCode.Internal, message: 'Internal server error' };
}
