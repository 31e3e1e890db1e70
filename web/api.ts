/**
 * The page's JSON calls to the API, with the API's error shape turned into one error type. A bearer
 * token the user pasted (kept in localStorage) goes with every call; without one, none is sent.
 */

const TOKEN_KEY = 'seatflow.bearerToken';

/** The pasted bearer token, if any. */
export function bearerToken(): string | undefined {
  try {
    return localStorage.getItem(TOKEN_KEY) || undefined;
  } catch {
    return undefined; // Storage blocked: the page works as without a token.
  }
}

/** Keeps a token for the following calls (and visits), or forgets it. */
export function setBearerToken(token: string | undefined): void {
  try {
    if (token) localStorage.setItem(TOKEN_KEY, token);
    else localStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage blocked: nothing to keep it in.
  }
}

export interface TokenClaims {
  userId: string;
  role: string;
  /** Expiry, ms since the epoch; undefined when the token has none. */
  expiresAt: number | undefined;
}

/** What a token says about its user, read without checking it (only the server can): for display. */
export function tokenClaims(token: string): TokenClaims | undefined {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '='));
    const claims = JSON.parse(json) as { sub?: unknown; role?: unknown; exp?: unknown };
    if (typeof claims.sub !== 'string' || !claims.sub) return undefined;
    return {
      userId: claims.sub,
      role: typeof claims.role === 'string' ? claims.role : '?',
      expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : undefined,
    };
  } catch {
    return undefined;
  }
}

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

export async function callApi<T>(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<T> {
  let res: Response;
  const headers: Record<string, string> = { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...extraHeaders };
  const token = bearerToken();
  if (token) headers.authorization = `Bearer ${token}`;
  try {
    res = await fetch(path, {
      method,
      headers,
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
  if (err instanceof ApiError && err.status === 401) {
    return `${err.message} (401 ${err.code}): paste a bearer token under “Sign in”.`;
  }
  if (err instanceof ApiError) return err.status ? `${err.message} (${err.status} ${err.code})` : err.message;
  return (err as Error).message ?? String(err);
}
