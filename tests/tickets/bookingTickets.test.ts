import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import { verifyTicketCode } from '../../api/tickets/ticketCode';
import { inTransaction } from '../../db/pool';
import { voidTicketsOfBooking } from '../../db/queries/tickets';
import { assertError } from '../api/assertions';
import { holdSeats } from '../support/factories';
import { api } from '../support/http';
import { useTestStack } from '../support/stack';
import { payViaWebhook, waitForBookingStatus } from '../workflows/driveBooking';
import { confirmedBooking, getTickets, newEvent, ticketRows, ticketsOf } from './ticketSupport';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The PNG's bytes from a data URL, checked to be a PNG: signature, then the IHDR chunk. Returns its size. */
function pngSize(dataUrl: string): { width: number; height: number } {
  const prefix = 'data:image/png;base64,';
  assert.ok(dataUrl.startsWith(prefix), `not a PNG data URL: ${dataUrl.slice(0, 40)}`);
  const bytes = Buffer.from(dataUrl.slice(prefix.length), 'base64');
  assert.deepEqual(bytes.subarray(0, 8), PNG_SIGNATURE);
  assert.equal(bytes.subarray(12, 16).toString('ascii'), 'IHDR');
  assert.equal(bytes.subarray(bytes.length - 8, bytes.length - 4).toString('ascii'), 'IEND');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('GET /bookings/:id/tickets', () => {
  const stack = useTestStack();

  test('returns 200 with one VALID ticket per seat, each with a signed code naming it and its QR as PNG and SVG', async () => {
    const event = await newEvent(stack.baseUrl);
    const booking = await confirmedBooking(stack.baseUrl, event.id, [4, 1]);

    const res = await getTickets(stack.baseUrl, booking.id);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.bookingId, booking.id);
    assert.equal(res.body.bookingStatus, 'CONFIRMED');
    const rows = await ticketRows(stack.pool, { bookingId: booking.id });
    assert.deepEqual(
      res.body.tickets.map((t) => [t.id, t.seatNumber, t.status, t.usedAt, t.voidedAt]),
      rows.map((r) => [r.id, r.seatNumber, 'VALID', null, null]),
    );
    assert.deepEqual(
      res.body.tickets.map((t) => t.seatNumber),
      [1, 4],
    );

    for (const ticket of res.body.tickets) {
      assert.deepEqual(verifyTicketCode(stack.env.ticketKeys, ticket.code), {
        ticketId: ticket.id,
        eventId: event.id,
        seatNumber: ticket.seatNumber,
      });
      const { width, height } = pngSize(ticket.qr.png);
      assert.equal(width, height);
      assert.ok(width >= 21 * 4, `a QR image ${width} px wide is too small to scan`);
      const svg = ticket.qr.svg.trim();
      assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*viewBox="0 0 (\d+) \1"/);
      assert.ok(svg.endsWith('</svg>'), 'the SVG document is not closed');
      assert.match(svg, /<path [^>]*d="M[^"]+"/);
      assert.ok(Date.parse(ticket.issuedAt) > 0);
    }
    assert.notEqual(res.body.tickets[0].code, res.body.tickets[1].code);
    assert.notEqual(res.body.tickets[0].qr.svg, res.body.tickets[1].qr.svg);
  });

  test('answers the same codes on every read', async () => {
    const event = await newEvent(stack.baseUrl);
    const booking = await confirmedBooking(stack.baseUrl, event.id, [2]);
    const first = await ticketsOf(stack.baseUrl, booking.id);
    const second = await ticketsOf(stack.baseUrl, booking.id);
    assert.deepEqual(second, first);
  });

  test('tickets are issued when a payment webhook confirms the booking in its workflow', async () => {
    const event = await newEvent(stack.baseUrl, { priceCents: 1200 });
    const booking = await holdSeats(stack.baseUrl, event.id, [7, 8, 9]);
    await payViaWebhook(stack, { bookingId: booking.id, amountCents: 3600 });
    await waitForBookingStatus(stack, booking.id, 'CONFIRMED');

    const tickets = await ticketsOf(stack.baseUrl, booking.id);
    assert.deepEqual(
      tickets.map((t) => [t.seatNumber, t.status]),
      [
        [7, 'VALID'],
        [8, 'VALID'],
        [9, 'VALID'],
      ],
    );
  });

  test('confirming again through the API issues no more tickets', async () => {
    const event = await newEvent(stack.baseUrl);
    const booking = await confirmedBooking(stack.baseUrl, event.id, [5, 6]);
    const before = await ticketsOf(stack.baseUrl, booking.id);

    const again = await api(stack.baseUrl).post(`/bookings/${booking.id}/confirm`, { paymentToken: `tok_${randomUUID()}` });
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.deepEqual(await ticketsOf(stack.baseUrl, booking.id), before);
    assert.equal((await ticketRows(stack.pool, { bookingId: booking.id })).length, 2);
  });

  test('returns 200 with no tickets for a booking that is only held', async () => {
    const event = await newEvent(stack.baseUrl);
    const booking = await holdSeats(stack.baseUrl, event.id, [3]);

    const res = await getTickets(stack.baseUrl, booking.id);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.bookingStatus, 'HELD');
    assert.deepEqual(res.body.tickets, []);
  });

  test('lists voided tickets as VOIDED', async () => {
    const event = await newEvent(stack.baseUrl);
    const booking = await confirmedBooking(stack.baseUrl, event.id, [10]);
    await inTransaction(stack.pool, (client) => voidTicketsOfBooking(client, booking.id));

    const [ticket] = await ticketsOf(stack.baseUrl, booking.id);
    assert.equal(ticket.status, 'VOIDED');
    assert.ok(ticket.voidedAt && Date.parse(ticket.voidedAt) > 0);
  });

  test('returns 404 BOOKING_NOT_FOUND for an unknown booking and for an id that is not one', async () => {
    assertError(await getTickets(stack.baseUrl, randomUUID()), 404, 'BOOKING_NOT_FOUND');
    assertError(await getTickets(stack.baseUrl, 'not-a-uuid'), 404, 'BOOKING_NOT_FOUND');
  });

  test('returns 405 for another method', async () => {
    const event = await newEvent(stack.baseUrl);
    const booking = await holdSeats(stack.baseUrl, event.id, [11]);
    assertError(await api(stack.baseUrl).post(`/bookings/${booking.id}/tickets`, {}), 405, 'METHOD_NOT_ALLOWED');
  });
});
