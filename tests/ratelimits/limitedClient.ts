/** Requests whose rate-limit headers the tests read, and those headers parsed as Structured Fields. */
import assert from 'node:assert/strict';
import { parseList } from 'structured-headers';
import type { Env } from '../../config/env';

export interface LimitedResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export async function send<T = Record<string, unknown>>(
  baseUrl: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<LimitedResponse<T>> {
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
}

export interface PolicyItem {
  q: number;
  w: number;
}

export interface LimitItem {
  r: number;
  t: number;
}

/** `RateLimit-Policy`, parsed by an independent Structured Fields parser: policy name → its parameters. */
export function policies(headers: Headers): Map<string, PolicyItem> {
  return itemsOf<PolicyItem>(headers, 'RateLimit-Policy', ['q', 'w']);
}

/** `RateLimit`: policy name → what is left (`r`) and the seconds until its window ends (`t`). */
export function limits(headers: Headers): Map<string, LimitItem> {
  return itemsOf<LimitItem>(headers, 'RateLimit', ['r', 't']);
}

function itemsOf<T extends object>(headers: Headers, name: string, keys: (keyof T & string)[]): Map<string, T> {
  const value = headers.get(name);
  assert.ok(value, `no ${name} header`);
  const items = new Map<string, T>();
  for (const member of parseList(value)) {
    const [bare, params] = member;
    assert.equal(typeof bare, 'string', `${name}: each policy is named by a string, got ${value}`);
    const fields: Record<string, number> = {};
    for (const key of keys) {
      const param = params.get(key);
      assert.ok(Number.isInteger(param), `${name}: ${key} must be an integer in ${value}`);
      fields[key] = param as number;
    }
    items.set(bare as string, fields as T);
  }
  return items;
}

/** Asserts a 429 RATE_LIMITED for `policy`, with its headers; returns Retry-After in seconds. */
export function assertRateLimited(res: LimitedResponse<unknown>, policy: string): number {
  const shown = JSON.stringify(res.body);
  assert.equal(res.status, 429, `expected 429 RATE_LIMITED (${policy}), got ${res.status}: ${shown}`);
  const body = res.body as { error: boolean; code: string; message: string; details: { policy: string } };
  assert.equal(body.error, true);
  assert.equal(body.code, 'RATE_LIMITED', shown);
  assert.equal(body.details.policy, policy, shown);
  const retryAfter = Number(res.headers.get('Retry-After'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${res.headers.get('Retry-After')}`);
  const limit = limits(res.headers).get(policy);
  assert.ok(limit, `RateLimit has no "${policy}" item: ${res.headers.get('RateLimit')}`);
  assert.equal(limit.r, 0);
  // The draft: Retry-After should not point before the end of the effective window.
  assert.ok(retryAfter >= limit.t, `Retry-After ${retryAfter} is before the window's end (t=${limit.t})`);
  return retryAfter;
}

/** Rate-limit settings for a test stack; every limit not named is off. */
export function rateLimitEnv(limits: {
  perUser?: number;
  perAddress?: number;
  checkinPerUser?: number;
  failedHolds?: number;
  trustedProxies?: string[];
}): Partial<Env> {
  return {
    rateLimitPerUser: limits.perUser ?? 0,
    rateLimitPerAddress: limits.perAddress ?? 0,
    rateLimitCheckinPerUser: limits.checkinPerUser ?? 0,
    rateLimitFailedHolds: limits.failedHolds ?? 0,
    trustedProxies: limits.trustedProxies ?? [],
  };
}
