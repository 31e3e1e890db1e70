/**
 * The activities, built as the worker builds them, on the test database: no Temporal, no worker.
 * Each test makes its own event, so nothing depends on another test's rows.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { createActivities, type Activities } from '../../activities';
import type { Pool } from '../../db/pool';
import { createSimulatorProvider } from '../../payments/simulatorProvider';
import type { HoldRequest } from '../../db/queries/holds';
import { insertEventWithSeats } from '../../db/queries/events';
import type { PaymentNotice } from '../../domain/booking';
import type { EventRecord } from '../../domain/event';
import { useTestPool } from '../support/testPool';
import { bookingsOf, paymentsOf, seatsOf, type BookingRow, type PaymentRow, type SeatRow } from '../workflows/dbState';

export interface ActivityFixture {
  pool: Pool;
  activities: Activities;
}

/** The activities on a pool of the file's own, ended after its tests. */
export function useActivityFixture(): ActivityFixture {
  const pool = useTestPool();
  return { pool, activities: createActivities({ pool, payments: createSimulatorProvider(pool) }) };
}

export function newEvent(pool: Pool, overrides: { totalSeats?: number; priceCents?: number } = {}): Promise<EventRecord> {
  return insertEventWithSeats(pool, {
    name: `Activity test ${randomUUID().slice(0, 8)}`,
    totalSeats: overrides.totalSeats ?? 10,
    priceCents: overrides.priceCents ?? 1000,
    holdSeconds: 300,
    maxSeatsPerBooking: 10,
    startsAt: null,
  });
}

export function holdRequest(eventId: string, seatNumbers: number[]): HoldRequest {
  return {
    bookingId: randomUUID(),
    eventId,
    userId: `user-${randomUUID().slice(0, 8)}`,
    seatNumbers,
    expiresAt: new Date(Date.now() + 300_000).toISOString(),
    idempotencyKey: null,
  };
}

/** A provider's payment of `amountCents`, received now, with fresh ids. */
export function paymentNotice(amountCents: number): PaymentNotice {
  return {
    receivedAt: new Date().toISOString(),
    paymentId: `pi_${randomUUID()}`,
    amountCents,
    source: 'webhook',
    providerEventId: `evt_${randomUUID()}`,
  };
}

export interface EventState {
  seats: SeatRow[];
  bookings: BookingRow[];
  payments: PaymentRow[];
}

/** Every row an activity could touch for this event: its seats, its bookings and their payments. */
export async function eventState(pool: Pool, eventId: string): Promise<EventState> {
  const bookings = await bookingsOf(pool, eventId);
  const payments = (await Promise.all(bookings.map((b) => paymentsOf(pool, b.id)))).flat();
  return { seats: await seatsOf(pool, eventId), bookings, payments };
}

/** For `assert.rejects`: a non-retryable ApplicationFailure of `type` (and with `details`, if given). */
export function businessFailure(type: string, details?: unknown[]): (err: unknown) => true {
  return (err) => {
    assert.ok(err instanceof ApplicationFailure, `expected an ApplicationFailure, got ${String(err)}`);
    assert.equal(err.type, type);
    assert.equal(err.nonRetryable, true);
    if (details) assert.deepEqual(err.details, details);
    return true;
  };
}
