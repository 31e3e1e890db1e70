import assert from 'node:assert/strict';
import type { JsonResponse } from '../support/http';

/** The API's error body: `{error: true, code, message}` (plus optional details). */
export interface ErrorBody {
  error: true;
  code: string;
  message: string;
  details?: { seats?: number[]; issues?: { path: string; message: string }[] };
}

/** Asserts the status, the stable code and the error body's shape; returns the body for further checks. */
export function assertError(res: JsonResponse<unknown>, status: number, code: string): ErrorBody {
  const shown = JSON.stringify(res.body);
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status}: ${shown}`);
  const body = res.body as ErrorBody;
  assert.equal(typeof body, 'object', `error body is not JSON: ${shown}`);
  assert.equal(body.error, true, `error body lacks error: true: ${shown}`);
  assert.equal(body.code, code, `wrong error code: ${shown}`);
  assert.equal(typeof body.message, 'string');
  assert.ok(body.message.length > 0, 'error message is empty');
  return body;
}

/** Any client error (never a 5xx) in the API's error shape. */
export function assertClientError(res: JsonResponse<unknown>, what: string): ErrorBody {
  const shown = JSON.stringify(res.body);
  assert.ok(res.status >= 400 && res.status < 500, `${what}: expected a 4xx, got ${res.status}: ${shown}`);
  const body = res.body as ErrorBody;
  assert.equal(body?.error, true, `${what}: error body lacks error: true: ${shown}`);
  assert.equal(typeof body.code, 'string', `${what}: no code: ${shown}`);
  assert.equal(typeof body.message, 'string', `${what}: no message: ${shown}`);
  return body;
}
