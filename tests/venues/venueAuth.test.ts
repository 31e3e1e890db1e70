import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import type { BookingResponse } from '../../api/presenters/booking';
import type { EventRecord } from '../../domain/event';
import { assertError } from '../api/assertions';
import { as, newUserId, tokenFor } from '../auth/authClient';
import { request } from '../support/http';
import { useTestStack } from '../support/stack';
import { THEATRE } from './venueFixtures';

const stack = useTestStack({ env: { authRequired: true } });

describe('venues with auth on', () => {
  test('only staff take seats off sale; a buyer gets 403 and nothing changes; best available holds for the token’s user', async () => {
    const secret = stack.env.jwtSecret;
    const staff = await as(stack.baseUrl, secret, newUserId('staff'), 'staff');
    const created = await staff.post<EventRecord>('/events', { name: 'Venue with auth', holdSeconds: 600, layout: THEATRE });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const eventId = created.body.id;
    const path = `/events/${eventId}/blocked-seats`;

    const buyerId = newUserId('buyer');
    const buyerToken = await tokenFor(secret, buyerId, 'buyer');
    const put = (token: string | undefined, seatNumbers: number[]) =>
      request(stack.baseUrl, 'PUT', path, { seatNumbers }, token ? { authorization: `Bearer ${token}` } : {});

    assertError(await put(undefined, [1]), 401, 'UNAUTHENTICATED');
    assertError(await put(buyerToken, [1]), 403, 'FORBIDDEN');
    const staffToken = await tokenFor(secret, newUserId('staff'), 'staff');
    assert.equal((await put(staffToken, [1, 2])).status, 200);
    assert.deepEqual((await staff.get<{ seatNumbers: number[] }>(path)).body.seatNumbers, [1, 2]);

    const buyer = await as(stack.baseUrl, secret, buyerId, 'buyer');
    const held = await buyer.post<BookingResponse>('/bookings', { eventId, quantity: 2, section: 'Stalls' });
    assert.equal(held.status, 201, JSON.stringify(held.body));
    assert.equal(held.body.userId, buyerId);
    assert.ok(held.body.seatNumbers.every((n) => n > 2), `a blocked seat was sold: ${held.body.seatNumbers}`);
  });
});
