import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import type { TicketResponse } from '../../api/presenters/ticket';
import { signTicketCode } from '../../api/tickets/ticketCode';
import { inTransaction } from '../../db/pool';
import { restoreTicketsOfBooking, voidTicketsOfBooking } from '../../db/queries/tickets';
import type { Admission } from '../../domain/ticket';
import { assertError } from '../api/assertions';
import { request } from '../support/http';
import { useTestStack } from '../support/stack';
import { checkIn, confirmedBooking, newEvent, ticketRows, ticketsOf } from './ticketSupport';

describe('POST /checkin', () => {
  const stack = useTestStack();

  /** A fresh event and a confirmed booking on it; answers its tickets (seat order). */
  async function tickets(seats: number[] = [1]): Promise<{ eventId: string; bookingId: string; tickets: TicketResponse[] }> {
    const event = await newEvent(stack.baseUrl);
    const booking = await confirmedBooking(stack.baseUrl, event.id, seats);
    return { eventId: event.id, bookingId: booking.id, tickets: await ticketsOf(stack.baseUrl, booking.id) };
  }

  const rowOf = async (bookingId: string, ticketId: string) =>
    (await ticketRows(stack.pool, { bookingId })).find((t) => t.id === ticketId);

  describe('admission', () => {
    test('admits a valid ticket with 200: ticket, seat, event and when', async () => {
      const { eventId, bookingId, tickets: [ticket] } = await tickets([3]);

      const res = await checkIn(stack.baseUrl, { code: ticket.code, eventId });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, {
        admitted: true,
        ticketId: ticket.id,
        seatNumber: 3,
        eventId,
        usedAt: res.body.usedAt,
      });
      assert.ok(Math.abs(Date.parse(res.body.usedAt) - Date.now()) < 5 * 60_000, `usedAt ${res.body.usedAt}`);

      const row = await rowOf(bookingId, ticket.id);
      assert.equal(row?.status, 'USED');
      // The row keeps microseconds, the answer milliseconds.
      assert.ok(Math.abs(Date.parse(`${row?.usedAt}Z`) - Date.parse(res.body.usedAt)) <= 1, `${row?.usedAt} vs ${res.body.usedAt}`);
      const [listed] = await ticketsOf(stack.baseUrl, bookingId);
      assert.equal(listed.status, 'USED');
      assert.equal(listed.usedAt, res.body.usedAt);
    });

    test('admits without a gate event id, and admits each ticket of a booking on its own', async () => {
      const { tickets: [first, second] } = await tickets([1, 2]);
      const a = await checkIn(stack.baseUrl, { code: first.code });
      const b = await checkIn(stack.baseUrl, { code: second.code });
      assert.equal(a.status, 200, JSON.stringify(a.body));
      assert.equal(b.status, 200, JSON.stringify(b.body));
      assert.deepEqual([a.body.seatNumber, b.body.seatNumber], [1, 2]);
    });

    test('a second scan answers 409 ALREADY_USED with the first scan’s time', async () => {
      const { bookingId, tickets: [ticket] } = await tickets();
      const first = await checkIn(stack.baseUrl, { code: ticket.code, nonce: 'scan-1' });
      assert.equal(first.status, 200, JSON.stringify(first.body));

      const second = assertError(await checkIn(stack.baseUrl, { code: ticket.code, nonce: 'scan-2' }), 409, 'ALREADY_USED');
      assert.deepEqual(second.details, { ticketId: ticket.id, usedAt: first.body.usedAt });
      const third = assertError(await checkIn(stack.baseUrl, { code: ticket.code }), 409, 'ALREADY_USED');
      assert.deepEqual(third.details, { ticketId: ticket.id, usedAt: first.body.usedAt });
      assert.equal((await rowOf(bookingId, ticket.id))?.usedNonce, 'scan-1');
    });

    test('a retried scan with the same nonce answers 200 with the same admission and counts once', async () => {
      const { bookingId, tickets: [ticket] } = await tickets();
      const nonce = `gate-3-${randomUUID()}`;
      const first = await checkIn(stack.baseUrl, { code: ticket.code, nonce });
      assert.equal(first.status, 200, JSON.stringify(first.body));
      const rowAfterFirst = await rowOf(bookingId, ticket.id);

      const retried = await checkIn(stack.baseUrl, { code: ticket.code, nonce });
      assert.equal(retried.status, 200, JSON.stringify(retried.body));
      assert.deepEqual(retried.body, first.body);
      assert.deepEqual(await rowOf(bookingId, ticket.id), rowAfterFirst);

      // The nonce is the admitting scan's: any other scan of the ticket is a second entry.
      assertError(await checkIn(stack.baseUrl, { code: ticket.code, nonce: `${nonce}-other` }), 409, 'ALREADY_USED');
    });
  });

  describe('simultaneous scans', () => {
    test('20 simultaneous scans of one ticket admit exactly one; the others answer 409 with its time', async () => {
      const { bookingId, tickets: [ticket] } = await tickets();

      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => checkIn(stack.baseUrl, { code: ticket.code, nonce: `scanner-${i}` })),
      );
      const admitted = answers.filter((a) => a.status === 200);
      assert.equal(admitted.length, 1, JSON.stringify(answers.map((a) => [a.status, a.body])));
      const usedAt = admitted[0].body.usedAt;
      for (const refused of answers.filter((a) => a.status !== 200)) {
        assert.deepEqual(assertError(refused, 409, 'ALREADY_USED').details, { ticketId: ticket.id, usedAt });
      }
      const row = await rowOf(bookingId, ticket.id);
      assert.equal(row?.status, 'USED');
      const winner = answers.findIndex((a) => a.status === 200);
      assert.equal(row?.usedNonce, `scanner-${winner}`);
    });

    test('20 simultaneous retries with one nonce all answer the same admission', async () => {
      const { bookingId, tickets: [ticket] } = await tickets();
      const nonce = randomUUID();

      const answers = await Promise.all(Array.from({ length: 20 }, () => checkIn(stack.baseUrl, { code: ticket.code, nonce })));
      for (const answer of answers) assert.equal(answer.status, 200, JSON.stringify(answer.body));
      const bodies = new Set(answers.map((a) => JSON.stringify(a.body)));
      assert.equal(bodies.size, 1, [...bodies].join('\n'));
      const row = await rowOf(bookingId, ticket.id);
      assert.equal(row?.usedNonce, nonce);
      assert.equal(row?.status, 'USED');
    });
  });

  describe('refusals', () => {
    test('a forged code answers 400 INVALID_TICKET and admits nothing', async () => {
      const { eventId, bookingId, tickets: [ticket] } = await tickets([5]);
      const forged = signTicketCode({ keys: [{ kid: stack.env.ticketKeys.signingKeyId, secret: 'not-the-server-secret' }], signingKeyId: stack.env.ticketKeys.signingKeyId }, { ticketId: ticket.id, eventId, seatNumber: 5 });

      assertError(await checkIn(stack.baseUrl, { code: forged }), 400, 'INVALID_TICKET');
      assert.equal((await rowOf(bookingId, ticket.id))?.status, 'VALID');
    });

    test('an altered code answers 400 INVALID_TICKET: another seat, or a changed signature', async () => {
      const { bookingId, tickets: [ticket] } = await tickets([5]);
      const [payload, signature] = ticket.code.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
      const otherSeat = `${Buffer.from(JSON.stringify({ ...claims, s: 6 })).toString('base64url')}.${signature}`;
      const flipped = `${payload}.${signature.slice(0, 10)}${signature[10] === 'x' ? 'y' : 'x'}${signature.slice(11)}`;

      for (const code of [otherSeat, flipped, `${ticket.code}x`, ticket.code.replace('.', ''), 'hello']) {
        assertError(await checkIn(stack.baseUrl, { code }), 400, 'INVALID_TICKET');
      }
      assert.equal((await rowOf(bookingId, ticket.id))?.status, 'VALID');
    });

    test('a ticket for another event answers 409 WRONG_EVENT and stays valid for its own gate', async () => {
      const { eventId, bookingId, tickets: [ticket] } = await tickets();
      const otherEvent = await newEvent(stack.baseUrl);

      const refused = assertError(await checkIn(stack.baseUrl, { code: ticket.code, eventId: otherEvent.id }), 409, 'WRONG_EVENT');
      assert.deepEqual(refused.details, { ticketEventId: eventId, gateEventId: otherEvent.id });
      assert.equal((await rowOf(bookingId, ticket.id))?.status, 'VALID');

      assert.equal((await checkIn(stack.baseUrl, { code: ticket.code, eventId })).status, 200);
    });

    test('a voided ticket answers 409 TICKET_VOIDED; restored, it admits again', async () => {
      const { bookingId, tickets: [ticket] } = await tickets();
      await inTransaction(stack.pool, (client) => voidTicketsOfBooking(client, bookingId));

      assertError(await checkIn(stack.baseUrl, { code: ticket.code, nonce: 'n1' }), 409, 'TICKET_VOIDED');
      assert.equal((await rowOf(bookingId, ticket.id))?.status, 'VOIDED');

      await inTransaction(stack.pool, (client) => restoreTicketsOfBooking(client, bookingId));
      assert.equal((await checkIn(stack.baseUrl, { code: ticket.code, nonce: 'n1' })).status, 200);
    });

    test('a correctly signed code for a ticket that does not exist answers 404 TICKET_NOT_FOUND', async () => {
      const event = await newEvent(stack.baseUrl);
      const code = signTicketCode(stack.env.ticketKeys, { ticketId: randomUUID(), eventId: event.id, seatNumber: 1 });
      assertError(await checkIn(stack.baseUrl, { code }), 404, 'TICKET_NOT_FOUND');
    });

    test('a request without a code, or with a bad nonce or event id, answers 400 VALIDATION_FAILED', async () => {
      const { tickets: [ticket] } = await tickets();
      for (const body of [
        {},
        { code: '' },
        { code: 42 },
        { code: ticket.code, nonce: '' },
        { code: ticket.code, nonce: 'has space' },
        { code: ticket.code, eventId: 'gate-1' },
        { code: ticket.code, extra: true },
      ]) {
        assertError(await request(stack.baseUrl, 'POST', '/checkin', body), 400, 'VALIDATION_FAILED');
      }
      const admitted = await checkIn(stack.baseUrl, { code: ticket.code });
      assert.equal(admitted.status, 200, 'the refused requests must not have used the ticket');
    });

    test('GET /checkin answers 405', async () => {
      assertError(await request<Admission>(stack.baseUrl, 'GET', '/checkin'), 405, 'METHOD_NOT_ALLOWED');
    });
  });
});
