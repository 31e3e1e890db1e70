import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import type { EventRecord } from '../../domain/event';
import { assertError } from '../api/assertions';
import { as, client, newUserId, tokenFor } from '../auth/authClient';
import { createEvent } from '../support/factories';
import { request } from '../support/http';
import { useTestStack } from '../support/stack';

const stack = useTestStack();
const secured = useTestStack({ env: { authRequired: true } });

const patch = (baseUrl: string, id: string, body: unknown, headers: Record<string, string> = {}) =>
  request<EventRecord>(baseUrl, 'PATCH', `/events/${id}`, body, headers);

describe('POST /events with a waiting room', () => {
  test('returns 201 with onSaleAt and waitingRoom null by default', async () => {
    const event = await createEvent(stack.baseUrl);
    assert.equal(event.onSaleAt, null);
    assert.equal(event.waitingRoom, null);
  });

  test('keeps onSaleAt and the room with its defaults filled in', async () => {
    const onSaleAt = '2031-01-02T03:04:05.000Z';
    const event = await createEvent(stack.baseUrl, { onSaleAt, waitingRoom: { admitPerMinute: 120 } });
    assert.equal(event.onSaleAt, onSaleAt);
    assert.deepEqual(event.waitingRoom, { admitPerMinute: 120, maxActive: null, admissionSeconds: 300 });
    const read = await client(stack.baseUrl).get<EventRecord>(`/events/${event.id}`);
    assert.deepEqual(read.body.waitingRoom, event.waitingRoom);
  });

  test.each([
    ['admitPerMinute 0', { waitingRoom: { admitPerMinute: 0 } }],
    ['an unknown room field', { waitingRoom: { admitPerMinute: 5, colour: 'red' } }],
    ['onSaleAt not a date', { onSaleAt: 'tomorrow' }],
    ['admissionSeconds too short', { waitingRoom: { admitPerMinute: 5, admissionSeconds: 1 } }],
  ])('returns 400 VALIDATION_FAILED for %s', async (_what, extra) => {
    const res = await client(stack.baseUrl).post('/events', { name: 'x', totalSeats: 2, ...extra });
    assertError(res, 400, 'VALIDATION_FAILED');
  });
});

describe('PATCH /events/:id', () => {
  test('returns 200 with the room switched on, then off, leaving what is omitted as it was', async () => {
    const event = await createEvent(stack.baseUrl);
    const onSaleAt = '2031-06-01T10:00:00.000Z';
    const on = await patch(stack.baseUrl, event.id, { onSaleAt, waitingRoom: { admitPerMinute: 60, maxActive: 10 } });
    assert.equal(on.status, 200, JSON.stringify(on.body));
    assert.equal(on.body.onSaleAt, onSaleAt);
    assert.deepEqual(on.body.waitingRoom, { admitPerMinute: 60, maxActive: 10, admissionSeconds: 300 });
    const off = await patch(stack.baseUrl, event.id, { waitingRoom: null });
    assert.equal(off.status, 200, JSON.stringify(off.body));
    assert.equal(off.body.waitingRoom, null);
    assert.equal(off.body.onSaleAt, onSaleAt);
  });

  test('returns 400 VALIDATION_FAILED for an empty change or another field', async () => {
    const event = await createEvent(stack.baseUrl);
    assertError(await patch(stack.baseUrl, event.id, {}), 400, 'VALIDATION_FAILED');
    assertError(await patch(stack.baseUrl, event.id, { name: 'renamed' }), 400, 'VALIDATION_FAILED');
  });

  test('returns 404 EVENT_NOT_FOUND for an unknown event', async () => {
    assertError(await patch(stack.baseUrl, randomUUID(), { onSaleAt: null }), 404, 'EVENT_NOT_FOUND');
  });

  test('with auth on, returns 401 without a token, 403 FORBIDDEN for a buyer and 200 for staff', async () => {
    const staff = await as(secured.baseUrl, secured.env.jwtSecret, newUserId('staff'), 'staff');
    const created = await staff.post<EventRecord>('/events', { name: 'Secured sale', totalSeats: 3 });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const change = { waitingRoom: { admitPerMinute: 30 } };
    assertError(await patch(secured.baseUrl, created.body.id, change), 401, 'UNAUTHENTICATED');
    const buyerToken = tokenFor(secured.env.jwtSecret, newUserId('buyer'));
    assertError(
      await patch(secured.baseUrl, created.body.id, change, { authorization: `Bearer ${await buyerToken}` }),
      403,
      'FORBIDDEN',
    );
    const staffToken = await tokenFor(secured.env.jwtSecret, newUserId('staff'), 'staff');
    const ok = await patch(secured.baseUrl, created.body.id, change, { authorization: `Bearer ${staffToken}` });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.waitingRoom?.admitPerMinute, 30);
  });
});
