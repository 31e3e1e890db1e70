import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import { createAdmissionTokens } from '../../api/waitingRoom/admissionTokens';
import type { QueuePlaceView } from '../../domain/waitingRoom';
import { assertError } from '../api/assertions';
import { createEvent } from '../support/factories';
import { useTestStack } from '../support/stack';
import { book, eventWithRoom, fastAdmission, joined, newUser, placeWhen } from './roomClient';

const stack = useTestStack({ env: fastAdmission() });

/** A buyer let into a fresh 10-seat event's room, with their admission token. */
async function admittedBuyer(eventId?: string): Promise<QueuePlaceView & { admissionToken: string }> {
  const id = eventId ?? (await eventWithRoom(stack.baseUrl, { admitPerMinute: 6000 }, { totalSeats: 10, priceCents: 1000 })).id;
  const place = await joined(stack.baseUrl, id, newUser());
  const admitted = await placeWhen(stack.baseUrl, id, place.queueId, (p) => p.status === 'ADMITTED');
  assert.ok(admitted.admissionToken, 'an admitted place carries its token');
  return { ...admitted, admissionToken: admitted.admissionToken };
}

describe('POST /bookings with the waiting room on', () => {
  test('returns 201 with the buyer’s own admission token', async () => {
    const buyer = await admittedBuyer();
    const res = await book(stack.baseUrl, buyer.eventId, buyer.userId, [1], buyer.admissionToken);
    assert.equal(res.status, 201, JSON.stringify(res.body));
  });

  test('returns 403 ADMISSION_REQUIRED without the header, holding nothing', async () => {
    const buyer = await admittedBuyer();
    assertError(await book(stack.baseUrl, buyer.eventId, buyer.userId, [1]), 403, 'ADMISSION_REQUIRED');
    const seats = await stack.pool.query("SELECT count(*)::int AS n FROM seats WHERE event_id = $1 AND status <> 'AVAILABLE'", [buyer.eventId]);
    assert.equal(seats.rows[0].n, 0);
  });

  test('returns 403 ADMISSION_INVALID for another buyer’s token (swapped between users)', async () => {
    const event = await eventWithRoom(stack.baseUrl, { admitPerMinute: 6000 }, { totalSeats: 10, priceCents: 1000 });
    const [a, b] = await Promise.all([admittedBuyer(event.id), admittedBuyer(event.id)]);
    assertError(await book(stack.baseUrl, event.id, a.userId, [1], b.admissionToken), 403, 'ADMISSION_INVALID');
    assertError(await book(stack.baseUrl, event.id, b.userId, [2], a.admissionToken), 403, 'ADMISSION_INVALID');
  });

  test('returns 403 ADMISSION_INVALID for a token of another event', async () => {
    const [a, b] = await Promise.all([admittedBuyer(), admittedBuyer()]);
    assertError(await book(stack.baseUrl, b.eventId, a.userId, [1], a.admissionToken), 403, 'ADMISSION_INVALID');
  });

  test('returns 403 ADMISSION_INVALID for a forged token (another secret) and an altered one', async () => {
    const buyer = await admittedBuyer();
    const forger = createAdmissionTokens('not-the-servers-secret-not-the-servers-secret');
    const forged = await forger.sign({ userId: buyer.userId, eventId: buyer.eventId, queueId: buyer.queueId }, Date.now() + 60_000);
    assertError(await book(stack.baseUrl, buyer.eventId, buyer.userId, [1], forged), 403, 'ADMISSION_INVALID');
    const [header, payload, signature] = buyer.admissionToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const altered = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url')}.${signature}`;
    assertError(await book(stack.baseUrl, buyer.eventId, 'someone-else', [1], altered), 403, 'ADMISSION_INVALID');
    assertError(await book(stack.baseUrl, buyer.eventId, buyer.userId, [1], 'not-a-token'), 403, 'ADMISSION_INVALID');
  });

  test('returns 403 ADMISSION_EXPIRED for a token past its deadline', async () => {
    const buyer = await admittedBuyer();
    const lapsed = await createAdmissionTokens(stack.env.admissionTokenSecret).sign(
      { userId: buyer.userId, eventId: buyer.eventId, queueId: buyer.queueId },
      Date.now() - 5_000,
    );
    assertError(await book(stack.baseUrl, buyer.eventId, buyer.userId, [1], lapsed), 403, 'ADMISSION_EXPIRED');
  });

  test('marks an admission EXPIRED when it lapses unused', async () => {
    const event = await eventWithRoom(stack.baseUrl, { admitPerMinute: 6000, admissionSeconds: 10 }, { totalSeats: 5, priceCents: 1000 });
    const buyer = await admittedBuyer(event.id);
    const expired = await placeWhen(stack.baseUrl, event.id, buyer.queueId, (p) => p.status === 'EXPIRED', 30_000, 'EXPIRED');
    assert.equal(expired.admissionToken, null);
    assertError(await book(stack.baseUrl, event.id, buyer.userId, [1], buyer.admissionToken), 403, 'ADMISSION_EXPIRED');
  });

  test('with the room off, nothing changes: no header needed', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 3 });
    const res = await book(stack.baseUrl, event.id, newUser(), [1]);
    assert.equal(res.status, 201, JSON.stringify(res.body));
  });
});
