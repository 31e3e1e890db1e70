import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import { inTransaction } from '../../db/pool';
import { confirmHeldBooking, holdSeats, releaseHeldBooking } from '../../db/queries/holds';
import { admitTicket, issueTicketsOfBooking, restoreTicketsOfBooking, voidTicketsOfBooking } from '../../db/queries/tickets';
import type { EventRecord } from '../../domain/event';
import { holdRequest, newEvent as newActivityEvent } from '../activities/activityFixture';
import { useTestPool } from '../support/testPool';
import { ticketRows } from './ticketSupport';

const pool = useTestPool(10);
const newEvent = () => newActivityEvent(pool);

async function held(eventId: string, seatNumbers: number[]): Promise<string> {
  const req = holdRequest(eventId, seatNumbers);
  const outcome = await holdSeats(pool, req);
  assert.equal(outcome.kind, 'held', JSON.stringify(outcome));
  return req.bookingId;
}

const payment = () => ({ paymentId: `pi_${randomUUID()}`, amountCents: 1000, providerEventId: null });

async function seatStatus(eventId: string, seatNumber: number): Promise<string> {
  const { rows } = await pool.query<{ status: string }>('SELECT status FROM seats WHERE event_id = $1 AND seat_number = $2', [
    eventId,
    seatNumber,
  ]);
  return rows[0].status;
}

describe('tickets issued on confirmation', () => {
  test('confirming a held booking issues one VALID ticket per seat for its event', async () => {
    const event = await newEvent();
    const bookingId = await held(event.id, [9, 2, 5]);

    assert.deepEqual(await confirmHeldBooking(pool, bookingId, payment()), { kind: 'confirmed' });

    const tickets = await ticketRows(pool, { bookingId });
    assert.deepEqual(
      tickets.map((t) => [t.seatNumber, t.status, t.eventId, t.usedAt, t.voidedAt]),
      [
        [2, 'VALID', event.id, null, null],
        [5, 'VALID', event.id, null, null],
        [9, 'VALID', event.id, null, null],
      ],
    );
    assert.equal(new Set(tickets.map((t) => t.id)).size, 3);
  });

  test('a retried confirm, sequential or simultaneous, issues no second set', async () => {
    const event = await newEvent();
    const bookingId = await held(event.id, [1, 2]);
    const paid = payment();

    const outcomes = await Promise.all([1, 2, 3].map(() => confirmHeldBooking(pool, bookingId, paid)));
    assert.deepEqual(outcomes, [{ kind: 'confirmed' }, { kind: 'confirmed' }, { kind: 'confirmed' }]);
    const first = await ticketRows(pool, { bookingId });
    assert.equal(first.length, 2);

    assert.deepEqual(await confirmHeldBooking(pool, bookingId, paid), { kind: 'confirmed' });
    assert.deepEqual(await ticketRows(pool, { bookingId }), first);
  });

  test('issuing again for a booking that has its tickets adds none', async () => {
    const event = await newEvent();
    const bookingId = await held(event.id, [3, 4]);
    await confirmHeldBooking(pool, bookingId, payment());
    const before = await ticketRows(pool, { bookingId });

    assert.equal(await inTransaction(pool, (client) => issueTicketsOfBooking(client, bookingId)), 0);
    assert.deepEqual(await ticketRows(pool, { bookingId }), before);
  });

  test('a released or expired hold gets no tickets, and confirming it afterwards issues none', async () => {
    const event = await newEvent();
    const bookingId = await held(event.id, [6]);
    await releaseHeldBooking(pool, bookingId, 'EXPIRED');

    assert.deepEqual(await confirmHeldBooking(pool, bookingId, payment()), { kind: 'not-held', status: 'EXPIRED' });
    assert.deepEqual(await ticketRows(pool, { eventId: event.id }), []);
  });

  test('a seat that still has a live ticket of another booking fails the whole confirmation', async () => {
    const event = await newEvent();
    const other = await held(event.id, [8]);
    const bookingId = await held(event.id, [7]);
    // A stray live ticket for seat 7 (what releasing a sold seat without voiding its ticket would leave).
    await pool.query(
      `INSERT INTO tickets (id, booking_id, event_id, seat_number) VALUES ($1, $2, $3, 7)`,
      [randomUUID(), other, event.id],
    );

    await assert.rejects(confirmHeldBooking(pool, bookingId, payment()), (err: { code?: string }) => err.code === '23505');

    const { rows } = await pool.query<{ status: string }>('SELECT status FROM bookings WHERE id = $1', [bookingId]);
    assert.equal(rows[0].status, 'HELD');
    assert.equal(await seatStatus(event.id, 7), 'HELD');
    assert.deepEqual(await ticketRows(pool, { bookingId }), []);
    const { rows: payments } = await pool.query('SELECT 1 FROM payments WHERE booking_id = $1', [bookingId]);
    assert.deepEqual(payments, []);
  });
});

describe('voidTicketsOfBooking and restoreTicketsOfBooking', () => {
  async function confirmed(seats: number[]): Promise<{ event: EventRecord; bookingId: string }> {
    const event = await newEvent();
    const bookingId = await held(event.id, seats);
    await confirmHeldBooking(pool, bookingId, payment());
    return { event, bookingId };
  }

  test('voiding makes the VALID tickets VOIDED once, leaves used ones USED, and a retry voids none', async () => {
    const { event, bookingId } = await confirmed([1, 2, 3]);
    const used = (await ticketRows(pool, { bookingId }))[0];
    const admitted = await admitTicket(pool, { ticketId: used.id, eventId: event.id, nonce: null });
    assert.equal(admitted.kind, 'admitted');

    assert.equal(await inTransaction(pool, (client) => voidTicketsOfBooking(client, bookingId)), 2);
    const voided = await ticketRows(pool, { bookingId });
    assert.deepEqual(
      voided.map((t) => [t.seatNumber, t.status, t.voidedAt !== null]),
      [
        [1, 'USED', false],
        [2, 'VOIDED', true],
        [3, 'VOIDED', true],
      ],
    );

    assert.equal(await inTransaction(pool, (client) => voidTicketsOfBooking(client, bookingId)), 0);
    assert.deepEqual(await ticketRows(pool, { bookingId }), voided);
  });

  test('restoring makes VOIDED tickets VALID again once, and a retry restores none', async () => {
    const { bookingId } = await confirmed([4, 5]);
    const issued = await ticketRows(pool, { bookingId });
    await inTransaction(pool, (client) => voidTicketsOfBooking(client, bookingId));

    assert.equal(await inTransaction(pool, (client) => restoreTicketsOfBooking(client, bookingId)), 2);
    assert.deepEqual(await ticketRows(pool, { bookingId }), issued);
    assert.equal(await inTransaction(pool, (client) => restoreTicketsOfBooking(client, bookingId)), 0);
    assert.deepEqual(await ticketRows(pool, { bookingId }), issued);
  });

  test('voiding inside a transaction that rolls back changes nothing', async () => {
    const { bookingId } = await confirmed([6]);
    const issued = await ticketRows(pool, { bookingId });

    await assert.rejects(
      inTransaction(pool, async (client) => {
        assert.equal(await voidTicketsOfBooking(client, bookingId), 1);
        throw new Error('a later saga step failed');
      }),
      /a later saga step failed/,
    );
    assert.deepEqual(await ticketRows(pool, { bookingId }), issued);
  });

  test('restoring fails, changing nothing, once the seat has a live ticket of another booking', async () => {
    const { event, bookingId } = await confirmed([7]);
    await inTransaction(pool, (client) => voidTicketsOfBooking(client, bookingId));
    const voided = await ticketRows(pool, { bookingId });
    const other = await held(event.id, [9]);
    await pool.query(`INSERT INTO tickets (id, booking_id, event_id, seat_number) VALUES ($1, $2, $3, 7)`, [
      randomUUID(),
      other,
      event.id,
    ]);

    await assert.rejects(
      inTransaction(pool, (client) => restoreTicketsOfBooking(client, bookingId)),
      (err: { code?: string }) => err.code === '23505',
    );
    assert.deepEqual(await ticketRows(pool, { bookingId }), voided);
  });

  test('a booking without tickets voids and restores none', async () => {
    const event = await newEvent();
    const bookingId = await held(event.id, [10]);
    assert.equal(await inTransaction(pool, (client) => voidTicketsOfBooking(client, bookingId)), 0);
    assert.equal(await inTransaction(pool, (client) => restoreTicketsOfBooking(client, randomUUID())), 0);
  });
});
