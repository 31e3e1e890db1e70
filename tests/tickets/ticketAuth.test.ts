import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, test } from '@jest/globals';
import { issueToken } from '../../api/auth/tokens';
import type { Role } from '../../domain/roles';
import { assertError } from '../api/assertions';
import { useTestStack } from '../support/stack';
import { checkIn, confirmedBooking, getTickets, newEvent, ticketRows, ticketsOf } from './ticketSupport';

describe('tickets and check-in with AUTH_REQUIRED', () => {
  const stack = useTestStack({ env: { authRequired: true } });
  let staff: string;
  beforeAll(async () => {
    staff = await tokenFor('staff');
  });

  const tokenFor = (role: Role, userId = `${role}-${randomUUID().slice(0, 8)}`) =>
    issueToken(stack.env.jwtSecret, { userId, role });

  /** A booking confirmed by a buyer of its own; answers the buyer's token and the booking id. */
  async function buyersBooking(): Promise<{ buyer: string; bookingId: string; eventId: string }> {
    const event = await newEvent(stack.baseUrl, { token: staff });
    const buyer = await tokenFor('buyer');
    const booking = await confirmedBooking(stack.baseUrl, event.id, [1], { token: buyer });
    return { buyer, bookingId: booking.id, eventId: event.id };
  }

  describe('POST /checkin', () => {
    test('answers 401 without a token and 403 to a buyer, even the ticket’s own, admitting nothing', async () => {
      const { buyer, bookingId } = await buyersBooking();
      const [ticket] = await ticketsOf(stack.baseUrl, bookingId, buyer);

      assertError(await checkIn(stack.baseUrl, { code: ticket.code }), 401, 'UNAUTHENTICATED');
      assertError(await checkIn(stack.baseUrl, { code: ticket.code }, buyer), 403, 'FORBIDDEN');
      assertError(await checkIn(stack.baseUrl, { code: ticket.code }, 'not-a-token'), 401, 'UNAUTHENTICATED');
      assert.deepEqual(
        (await ticketRows(stack.pool, { bookingId })).map((t) => t.status),
        ['VALID'],
      );
    });

    test('admits for staff and for admin', async () => {
      for (const role of ['staff', 'admin'] as const) {
        const { buyer, bookingId, eventId } = await buyersBooking();
        const [ticket] = await ticketsOf(stack.baseUrl, bookingId, buyer);
        const res = await checkIn(stack.baseUrl, { code: ticket.code, eventId }, await tokenFor(role));
        assert.equal(res.status, 200, `${role}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.ticketId, ticket.id);
      }
    });
  });

  describe('GET /bookings/:id/tickets', () => {
    test('the buyer who owns the booking gets its tickets', async () => {
      const { buyer, bookingId } = await buyersBooking();
      const res = await getTickets(stack.baseUrl, bookingId, buyer);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.tickets.length, 1);
    });

    test('another buyer gets 404 BOOKING_NOT_FOUND, as for a booking that does not exist', async () => {
      const { bookingId } = await buyersBooking();
      const stranger = await tokenFor('buyer');
      const refused = assertError(await getTickets(stack.baseUrl, bookingId, stranger), 404, 'BOOKING_NOT_FOUND');
      const unknownId = randomUUID();
      const unknown = assertError(await getTickets(stack.baseUrl, unknownId, stranger), 404, 'BOOKING_NOT_FOUND');
      assert.deepEqual(refused, { ...unknown, message: unknown.message.replace(unknownId, bookingId) });
    });

    test('answers 401 without a token', async () => {
      const { bookingId } = await buyersBooking();
      assertError(await getTickets(stack.baseUrl, bookingId), 401, 'UNAUTHENTICATED');
    });

    test('staff and admin see any booking’s tickets', async () => {
      const { bookingId } = await buyersBooking();
      for (const token of [staff, await tokenFor('admin')]) {
        const res = await getTickets(stack.baseUrl, bookingId, token);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.tickets.length, 1);
      }
    });
  });
});
