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

/**
 * Settings of a stack whose admission minute lasts 15 s: an on-sale simulated four times faster.
 * Ticks stay at one second, as the Temporal dev server fires shorter timers about a second late.
 */
export const fastAdmission = (): Partial<Env> => ({ ...redisQueues(), admissionMinuteMs: 15_000, admissionTickMs: 1_000 });

/** Polls the place until `check` accepts it. */
export async function placeWhen(
  baseUrl: string,
  eventId: string,
  queueId: string,
  check: (place: QueuePlaceView) => boolean,
  timeoutMs = 20_000,
  what = 'the place to change',
): Promise<QueuePlaceView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await readPlace(baseUrl, eventId, queueId);
    if (res.status === 200 && check(res.body)) return res.body;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(res.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function book(baseUrl: string, eventId: string, userId: string, seatNumbers: number[], admissionToken?: string): Promise<JsonResponse> {
  return request(baseUrl, 'POST', '/bookings', { eventId, userId, seatNumbers }, admissionToken ? { 'Admission-Token': admissionToken } : {});
}
