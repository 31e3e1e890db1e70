/** Helpers for the waiting-room tests: stacks whose queues are in the machine's Redis, events with a room, joins. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Env } from '../../config/env';
import type { EventRecord } from '../../domain/event';
import type { QueuePlaceView } from '../../domain/waitingRoom';
import { createEvent } from '../support/factories';
import { request, type JsonResponse } from '../support/http';

export const TEST_REDIS_URL = process.env.SEATFLOW_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Stack settings that keep queues in Redis under keys (and Socket.IO channels) of this stack's own. */
export const redisQueues = (): Partial<Env> => ({
  redisUrl: TEST_REDIS_URL,
  redisChannelPrefix: `seatflow-test-${randomUUID()}`,
  waitingRoomRedisPrefix: `seatflow-test-queue-${randomUUID()}`,
});

export const newUser = (label = 'buyer') => `${label}-${randomUUID().slice(0, 8)}`;

export async function eventWithRoom(
  baseUrl: string,
  room: Record<string, unknown> = { admitPerMinute: 60 },
  overrides: Record<string, unknown> = {},
): Promise<EventRecord> {
  return createEvent(baseUrl, { waitingRoom: room, priceCents: 0, ...overrides });
}

export const inOneHour = () => new Date(Date.now() + 3_600_000).toISOString();

export function join(baseUrl: string, eventId: string, userId?: string, headers: Record<string, string> = {}): Promise<JsonResponse<QueuePlaceView>> {
  return request<QueuePlaceView>(baseUrl, 'POST', `/events/${eventId}/queue`, userId === undefined ? {} : { userId }, headers);
}

export function readPlace(baseUrl: string, eventId: string, queueId: string, headers: Record<string, string> = {}): Promise<JsonResponse<QueuePlaceView>> {
  return request<QueuePlaceView>(baseUrl, 'GET', `/events/${eventId}/queue/${queueId}`, undefined, headers);
}

export async function joined(baseUrl: string, eventId: string, userId: string): Promise<QueuePlaceView> {
  const res = await join(baseUrl, eventId, userId);
  assert.equal(res.status, 201, `joining answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}
