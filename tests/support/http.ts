/** A small JSON client for the API under test. */
export interface JsonResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
}

export async function request<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse<T>> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${baseUrl}${path}`, init);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Left as text: the test will say what it expected.
  }
  return { status: res.status, body: parsed as T };
}

export const api = (baseUrl: string) => ({
  get: <T = Record<string, unknown>>(path: string) => request<T>(baseUrl, 'GET', path),
  post: <T = Record<string, unknown>>(path: string, body?: unknown, headers?: Record<string, string>) =>
    request<T>(baseUrl, 'POST', path, body, headers),
});
