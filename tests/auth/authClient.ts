/** Requests with a bearer token, and the tokens themselves, for the tests of who may do what. */
import { randomUUID } from 'node:crypto';
import { issueToken } from '../../api/auth/tokens';
import type { Role } from '../../domain/roles';
import { request, type JsonResponse } from '../support/http';

/** A token the stack's API accepts, signed with its JWT_SECRET. */
export function tokenFor(secret: string, userId: string, role: Role = 'buyer'): Promise<string> {
  return issueToken(secret, { userId, role });
}

export const newUserId = (label = 'user') => `${label}-${randomUUID().slice(0, 8)}`;

/** A JSON client that sends `Authorization: <authorization>` (e.g. `Bearer <token>`), or nothing when undefined. */
export function client(baseUrl: string, authorization?: string) {
  const headers = (extra: Record<string, string> = {}) =>
    authorization === undefined ? extra : { authorization, ...extra };
  return {
    get: <T = Record<string, unknown>>(path: string): Promise<JsonResponse<T>> =>
      request<T>(baseUrl, 'GET', path, undefined, headers()),
    post: <T = Record<string, unknown>>(path: string, body?: unknown, extra?: Record<string, string>): Promise<JsonResponse<T>> =>
      request<T>(baseUrl, 'POST', path, body, headers(extra)),
  };
}

/** A client acting with a fresh token for `userId` and `role`. */
export async function as(baseUrl: string, secret: string, userId: string, role: Role = 'buyer') {
  return client(baseUrl, `Bearer ${await tokenFor(secret, userId, role)}`);
}
