/** The page's JSON calls to the API, with the API's error shape turned into one error type. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly seats: number[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface ErrorBody {
  error: true;
  code: string;
  message: string;
  details?: { seats?: number[] };
}

const isErrorBody = (body: unknown): body is ErrorBody =>
  typeof body === 'object' && body !== null && (body as ErrorBody).error === true;

export async function callApi<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError(0, 'NETWORK', `The server could not be reached: ${(err as Error).message}`);
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!res.ok) {
    if (isErrorBody(parsed)) throw new ApiError(res.status, parsed.code, parsed.message, parsed.details?.seats ?? []);
    throw new ApiError(res.status, 'HTTP', `${method} ${path} answered ${res.status}`);
  }
  return parsed as T;
}

/** How an error reads on the page: the API's own message, then its status and code. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) return err.status ? `${err.message} (${err.status} ${err.code})` : err.message;
  return (err as Error).message ?? String(err);
}
