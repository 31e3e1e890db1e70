import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import { diagnostic } from '../support/testHooks';
import type { BookingResponse } from '../../api/presenters/booking';
import { api } from '../support/http';
import { createEvent } from '../support/factories';
import { useTestStack } from '../support/stack';
import { burst, statusCounts } from './burst';

interface ErrorBody {
  code: string;
  details?: { seats?: number[] };
}

describe('POST /bookings under contention for one seat', () => {
  const stack = useTestStack();

  test('500 simultaneous holds of the same seat: exactly one 201, every other answer 409 SEAT_UNAVAILABLE', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 10, holdSeconds: 600 });
    const seat = 7;
    const buyers = 500;

    const started = Date.now();
    // All 500 requests are in flight at once (undici opens one socket per pending request).
    const answers = await burst(buyers, (i) =>
      api(stack.baseUrl).post<BookingResponse | ErrorBody>('/bookings', {
        eventId: event.id,
        userId: `same-seat-buyer-${i}`,
        seatNumbers: [seat],
      }),
    );
    diagnostic(`${buyers} holds answered in ${Date.now() - started} ms: ${JSON.stringify(statusCounts(answers.map((a) => a.status)))}`);

    const winners = answers.filter((a) => a.status === 201);
    const losers = answers.filter((a) => a.status !== 201);
    assert.equal(winners.length, 1, `expected exactly one 201, got ${JSON.stringify(statusCounts(answers.map((a) => a.status)))}`);
    for (const loser of losers) {
      assert.equal(loser.status, 409, `a losing buyer got ${loser.status}: ${JSON.stringify(loser.body)}`);
      const body = loser.body as ErrorBody;
      assert.equal(body.code, 'SEAT_UNAVAILABLE');
      assert.deepEqual(body.details?.seats, [seat]);
    }

    const winner = winners[0].body as BookingResponse;
    assert.equal(winner.status, 'HELD');
    assert.deepEqual(winner.seatNumbers, [seat]);

    const seats = await stack.pool.query<{ seat_number: number; status: string; booking_id: string }>(
      `SELECT seat_number, status, booking_id FROM seats WHERE event_id = $1 AND status <> 'AVAILABLE'`,
      [event.id],
    );
    assert.deepEqual(seats.rows, [{ seat_number: seat, status: 'HELD', booking_id: winner.id }]);

    const bookings = await stack.pool.query<{ status: string; n: number }>(
      'SELECT status, count(*) AS n FROM bookings WHERE event_id = $1 GROUP BY status ORDER BY status',
      [event.id],
    );
    assert.deepEqual(bookings.rows, [
      { status: 'HELD', n: 1 },
      { status: 'REJECTED', n: buyers - 1 },
    ]);
    const held = await stack.pool.query<{ id: string }>(
      `SELECT id FROM bookings WHERE event_id = $1 AND status = 'HELD'`,
      [event.id],
    );
    assert.equal(held.rows[0].id, winner.id);
  }, 180_000);
});
