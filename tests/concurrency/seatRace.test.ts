import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import { diagnostic } from '../support/testHooks';
import type { BookingResponse } from '../../api/presenters/booking';
import { api } from '../support/http';
import { createEvent } from '../support/factories';
import { useTestStack } from '../support/stack';
import { burst, retryWhileBusy, statusCounts } from './burst';

/** A seeded linear congruential generator (Numerical Recipes constants), so every run races the same way. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 0x1_0000_0000;
  };
}

/** 1 to 4 distinct seats out of 1..capacity, in random order. */
function randomSeats(random: () => number, capacity: number): number[] {
  const count = 1 + Math.floor(random() * 4);
  const seats = new Set<number>();
  while (seats.size < count) seats.add(1 + Math.floor(random() * capacity));
  return [...seats];
}

describe('POST /bookings with many buyers racing for few seats', () => {
  const stack = useTestStack();

  test('2,000 buyers for 100 seats: no seat in two bookings, never above capacity, every 201 is a real hold', async () => {
    const capacity = 100;
    const buyers = 2000;
    // Long holds: nothing may expire while the race and the checks run.
    const event = await createEvent(stack.baseUrl, { totalSeats: capacity, holdSeconds: 600, maxSeatsPerBooking: 4 });
    const random = lcg(20261121);
    const requests = Array.from({ length: buyers }, (_, i) => ({
      eventId: event.id,
      userId: `racer-${i}`,
      seatNumbers: randomSeats(random, capacity),
    }));

    const started = Date.now();
    // Every request is fired at once, no concurrency cap: 2,000 sockets fit well under this machine's open-file limit.
    const answers = await burst(buyers, (i) => retryWhileBusy(() => api(stack.baseUrl).post<BookingResponse>('/bookings', requests[i])));
    const counts = statusCounts(answers.map((a) => a.status));
    diagnostic(`${buyers} holds answered in ${Date.now() - started} ms: ${JSON.stringify(counts)}`);

    answers.forEach((answer, i) => {
      if (answer.status === 201) return;
      assert.equal(answer.status, 409, `buyer ${i} got ${answer.status}: ${JSON.stringify(answer.body)}`);
      assert.equal((answer.body as unknown as { code: string }).code, 'SEAT_UNAVAILABLE');
    });
    const won = answers.flatMap((answer, i) => (answer.status === 201 ? [{ request: requests[i], booking: answer.body }] : []));
    assert.ok(won.length > 0, 'some buyer must get seats');

    // No seat is in two live bookings.
    const doubled = await stack.pool.query<{ seat: number; n: number }>(
      `SELECT seat, count(*) AS n FROM bookings, unnest(seat_numbers) AS seat
        WHERE event_id = $1 AND status IN ('HELD', 'CONFIRMED')
        GROUP BY seat HAVING count(*) > 1`,
      [event.id],
    );
    assert.deepEqual(doubled.rows, [], 'seats held by more than one live booking');

    // Every taken seat belongs to a live booking that asked for it.
    const orphans = await stack.pool.query<{ seat_number: number; status: string; booking_status: string | null }>(
      `SELECT s.seat_number, s.status, b.status AS booking_status
         FROM seats s LEFT JOIN bookings b ON b.id = s.booking_id
        WHERE s.event_id = $1 AND s.status IN ('HELD', 'BOOKED')
          AND (b.id IS NULL OR b.status NOT IN ('HELD', 'CONFIRMED') OR NOT (s.seat_number = ANY(b.seat_numbers)))`,
      [event.id],
    );
    assert.deepEqual(orphans.rows, [], 'taken seats whose booking is not a live booking for that seat');

    // Never above capacity, and the seat rows agree with the live bookings.
    const tally = await stack.pool.query<{ taken: number; available: number; live_booking_seats: number }>(
      `SELECT (SELECT count(*) FROM seats WHERE event_id = $1 AND status IN ('HELD', 'BOOKED')) AS taken,
              (SELECT count(*) FROM seats WHERE event_id = $1 AND status = 'AVAILABLE') AS available,
              (SELECT coalesce(sum(cardinality(seat_numbers)), 0) FROM bookings
                WHERE event_id = $1 AND status IN ('HELD', 'CONFIRMED'))::int AS live_booking_seats`,
      [event.id],
    );
    const { taken, available, live_booking_seats: liveBookingSeats } = tally.rows[0];
    assert.ok(taken <= capacity, `${taken} seats taken of ${capacity}`);
    assert.equal(taken + available, capacity);
    assert.equal(liveBookingSeats, taken);

    const shown = await api(stack.baseUrl).get<{ availableSeats: number }>(`/events/${event.id}`);
    assert.equal(shown.body.availableSeats, available);

    // Every 201 is a HELD booking in the database with exactly the seats it asked for, and nothing else is live.
    const live = await stack.pool.query<{ id: string; status: string; seat_numbers: number[] }>(
      `SELECT id, status, seat_numbers FROM bookings WHERE event_id = $1 AND status IN ('HELD', 'CONFIRMED')`,
      [event.id],
    );
    const liveById = new Map(live.rows.map((row) => [row.id, row]));
    for (const { request, booking } of won) {
      assert.equal(booking.status, 'HELD');
      assert.deepEqual(booking.seatNumbers, request.seatNumbers);
      const row = liveById.get(booking.id);
      assert.ok(row, `booking ${booking.id} answered 201 but is not live in the database`);
      assert.equal(row.status, 'HELD');
      assert.deepEqual(row.seat_numbers, request.seatNumbers);
    }
    assert.equal(live.rows.length, won.length, 'live bookings that no buyer was told about');
    diagnostic(`${won.length} buyers hold ${taken} of ${capacity} seats`);
  }, 180_000);
});
