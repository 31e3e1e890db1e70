import type { Context, Next } from 'koa';
import getRawBody from 'raw-body';
import { ErrorCode } from '../../domain/errorCodes';
import { AppError } from '../errors';

/** Reads the request body as bytes, within the limit; too large is a 413 before any work is done. */
export async function readRawBody(ctx: Context, limitBytes: number): Promise<Buffer> {
  try {
    return await getRawBody(ctx.req, { limit: limitBytes, length: ctx.get('content-length') || undefined });
  } catch (err) {
    const type = (err as { type?: string }).type;
    if (type === 'entity.too.large') {
      throw new AppError(ErrorCode.PayloadTooLarge, `Request body is larger than ${limitBytes} bytes`);
    }
    throw new AppError(ErrorCode.ValidationFailed, `Could not read request body: ${(err as Error).message}`);
  }
}

/** Parses a JSON body into `ctx.state.body`. An empty body is `{}`; anything but JSON is refused. */
export function jsonBody(limitBytes: number) {
  return async function parseJsonBody(ctx: Context, next: Next): Promise<void> {
    const raw = await readRawBody(ctx, limitBytes);
    if (raw.length === 0) {
      ctx.state.body = {};
      return next();
    }
    if (!ctx.is('application/json', '+json')) {
      throw new AppError(ErrorCode.UnsupportedMediaType, 'Send the body as application/json');
    }
    try {
      ctx.state.body = JSON.parse(raw.toString('utf8')) as unknown;
    } catch (err) {
      throw new AppError(ErrorCode.InvalidJson, `Malformed JSON: ${(err as Error).message}`);
    }
    return next();
  };
}
