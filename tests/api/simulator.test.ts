import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import { CheckoutSlots } from '../../api/checkout/checkoutSlots';
import { createMemoryQueueStore } from '../../queues/memoryQueueStore';
import { createWaitingRoom } from '../../api/waitingRoom/waitingRoom';
import { createApp } from '../../api/app';
import type { BookingResponse } from '../../api/presenters/booking';
import { createSimulatorProvider } from '../../payments/simulatorProvider';
import { EventTermsCache } from '../../api/realtime/eventTermsCache';
import { SeatMapCache } from '../../api/realtime/seatMapCache';
import { SeatFeed } from '../../api/realtime/seatFeed';
import { createRateLimitsFor } from '../../api/rateLimits/fromEnv';
import { statusQuery } from '../../domain/messages';
import { createEvent, eventually, holdSeats } from '../support/factories';
import { api } from '../support/http';
import { useTestStack } from '../support/stack';
import { assertError } from './assertions';

const stack = useTestStack();

interface SimulatedPayment {
  paymentIntentId: string;
  eventId: string;
  webhookStatus: number;
}

const client = () => api(stack.baseUrl);
const simulate = (body: unknown) => client().post<SimulatedPayment>('/simulator/payments', body);

async function heldBooking(seats: number[], priceCents = 1800): Promise<BookingResponse> {
  const event = await createEvent(stack.baseUrl, { totalSeats: 10, priceCents });
  return holdSeats(stack.baseUrl, event.id, seats);
}

async function paymentEvent(id: string) {
  const { rows } = await stack.pool.query<{ type: string; booking_id: string; processed: boolean }>(
    'SELECT type, booking_id, processed_at IS NOT NULL AS processed FROM payment_events WHERE id = $1',
    [id],
  );
  return rows[0];
}

describe('POST /simulator/payments', () => {
  test('returns 202 and its signed payment_intent.succeeded webhook confirms the booking for its amount', async () => {
    const booking = await heldBooking([2, 3]);
    const res = await simulate({ bookingId: booking.id, outcome: 'succeeded' });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.match(res.body.paymentIntentId, /^pi_[0-9a-f]{32}$/);
    assert.match(res.body.eventId, /^evt_[0-9a-f]{32}$/);
    assert.equal(res.body.webhookStatus, 200);

    await eventually(
      async () => ((await client().get<BookingResponse>(`/bookings/${booking.id}`)).body.status === 'CONFIRMED' ? true : undefined),
      30_000,
      'the booking to be CONFIRMED',
    );
    const confirmed = (await client().get<BookingResponse>(`/bookings/${booking.id}`)).body;
    assert.deepEqual(confirmed.payments, [
      { paymentId: res.body.paymentIntentId, amountCents: 3600, disposition: 'APPLIED' },
    ]);
    // It went through the webhook endpoint, which verified and recorded the delivery.
    assert.deepEqual(await paymentEvent(res.body.eventId), {
      type: 'payment_intent.succeeded',
      booking_id: booking.id,
      processed: true,
    });
  });

  test('returns 202 and a failed outcome reaches the workflow as a declined payment, leaving the booking HELD', async () => {
    const booking = await heldBooking([4]);
    const res = await simulate({ bookingId: booking.id, outcome: 'failed' });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.equal(res.body.webhookStatus, 200);
    assert.deepEqual(await paymentEvent(res.body.eventId), {
      type: 'payment_intent.payment_failed',
      booking_id: booking.id,
      processed: true,
    });
    const handle = stack.temporal.workflow.getHandle(booking.workflowId);
    await eventually(
      async () => ((await handle.query(statusQuery)).lastPaymentFailure === 'card declined' ? true : undefined),
      30_000,
      'the workflow to record the declined payment',
    );
    const after = (await client().get<BookingResponse>(`/bookings/${booking.id}`)).body;
    assert.equal(after.status, 'HELD');
    assert.deepEqual(after.payments, []);
  });

  test('gives each simulated payment fresh PaymentIntent and event ids', async () => {
    const booking = await heldBooking([5]);
    const first = await simulate({ bookingId: booking.id, outcome: 'failed' });
    const second = await simulate({ bookingId: booking.id, outcome: 'failed' });
    assert.equal(first.status, 202);
    assert.equal(second.status, 202);
    assert.notEqual(first.body.paymentIntentId, second.body.paymentIntentId);
    assert.notEqual(first.body.eventId, second.body.eventId);
  });

  test('returns 404 BOOKING_NOT_FOUND for an unknown booking and sends nothing', async () => {
    const bookingId = randomUUID();
    assertError(await simulate({ bookingId, outcome: 'succeeded' }), 404, 'BOOKING_NOT_FOUND');
    const { rows } = await stack.pool.query('SELECT 1 FROM payment_events WHERE booking_id = $1', [bookingId]);
    assert.equal(rows.length, 0);
  });

  test('returns 400 VALIDATION_FAILED for an outcome other than succeeded or failed', async () => {
    const booking = await heldBooking([6]);
    const body = assertError(await simulate({ bookingId: booking.id, outcome: 'refunded' }), 400, 'VALIDATION_FAILED');
    assert.ok(body.details?.issues?.some((i) => i.path === 'outcome'), JSON.stringify(body));
    assertError(await simulate({ bookingId: booking.id }), 400, 'VALIDATION_FAILED');
    assert.equal((await client().get<BookingResponse>(`/bookings/${booking.id}`)).body.status, 'HELD');
  });

  test('returns 400 VALIDATION_FAILED when bookingId is not a UUID', async () => {
    assertError(await simulate({ bookingId: 'booking-1', outcome: 'succeeded' }), 400, 'VALIDATION_FAILED');
  });
});

describe('payment simulator switch', () => {
  test('answers 404 at /simulator/payments when PAYMENT_SIMULATOR is off', async () => {
    const feed = new SeatFeed();
    // Not started: without its LISTEN connection it reads every event from the database.
    const eventTerms = new EventTermsCache(stack.pool, { databaseUrl: stack.env.databaseUrl, maxEvents: 10 });
    const app = createApp({
      env: { ...stack.env, paymentSimulator: false },
      pool: stack.pool,
      temporal: stack.temporal,
      payments: createSimulatorProvider(stack.pool),
      feed,
      seatMaps: new SeatMapCache(stack.pool, feed, { maxEvents: 10, verifyAfterMs: 5000 }),
      eventTerms,
      rateLimits: createRateLimitsFor({ ...stack.env, redisUrl: undefined }),
      checkouts: new CheckoutSlots(stack.env.maxCheckoutsInFlight),
      waitingRoom: createWaitingRoom(createMemoryQueueStore(), stack.env.admissionTokenSecret, eventTerms),
    });
    const server = http.createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const booking = await heldBooking([7]);
      const res = await api(`http://127.0.0.1:${port}`).post('/simulator/payments', {
        bookingId: booking.id,
        outcome: 'succeeded',
      });
      assertError(res, 404, 'NOT_FOUND');
      assert.equal((await client().get<BookingResponse>(`/bookings/${booking.id}`)).body.status, 'HELD');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
