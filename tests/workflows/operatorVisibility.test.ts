import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import type { BookingResponse } from '../../api/presenters/booking';
import { statusQuery } from '../../domain/messages';
import {
  bookingStatusSearchAttribute,
  eventIdSearchAttribute,
  userIdSearchAttribute,
} from '../../domain/searchAttributes';
import { api } from '../support/http';
import { createEvent, eventually, holdSeats } from '../support/factories';
import { useTestStack } from '../support/stack';
import { bookingHandle, newPaymentIntentId, payViaWebhook } from './driveBooking';

describe('operator visibility: search attributes and the status query', () => {
  const stack = useTestStack();

  /** Workflow ids the visibility store lists for `query`, once it shows exactly `expected` (it may lag). */
  async function waitForListing(query: string, expected: string[]): Promise<string[]> {
    let last: string[] = [];
    try {
      return await eventually(
        async () => {
          last = [];
          for await (const execution of stack.temporal.workflow.list({ query })) last.push(execution.workflowId);
          last.sort();
          return JSON.stringify(last) === JSON.stringify([...expected].sort()) ? last : undefined;
        },
        20_000,
        `the listing of ${query}`,
      );
    } catch (err) {
      assert.fail(`${(err as Error).message}; last listing: ${JSON.stringify(last)}, expected ${JSON.stringify(expected)}`);
    }
  }

  /** The BookingStatus search attribute, once it reads `status` (described from the workflow's own state). */
  async function waitForBookingStatusAttribute(booking: BookingResponse, status: string): Promise<void> {
    await eventually(
      async () => {
        const description = await bookingHandle(stack, booking).describe();
        return description.typedSearchAttributes.get(bookingStatusSearchAttribute) === status ? true : undefined;
      },
      20_000,
      `BookingStatus=${status} on ${booking.workflowId}`,
    );
  }

  test('BookingStatus is HELD while the seats are held and CONFIRMED once paid, next to EventId and UserId', async () => {
    const event = await createEvent(stack.baseUrl, { priceCents: 700 });
    const userId = `user-${randomUUID().slice(0, 8)}`;
    const booking = await holdSeats(stack.baseUrl, event.id, [1], userId);

    await waitForBookingStatusAttribute(booking, 'HELD');
    const description = await bookingHandle(stack, booking).describe();
    assert.equal(description.typedSearchAttributes.get(eventIdSearchAttribute), event.id);
    assert.equal(description.typedSearchAttributes.get(userIdSearchAttribute), userId);
    await waitForListing(`WorkflowId="${booking.workflowId}" AND BookingStatus="HELD"`, [booking.workflowId]);

    await payViaWebhook(stack, { bookingId: booking.id, amountCents: 700 });
    await bookingHandle(stack, booking).result();
    await waitForBookingStatusAttribute(booking, 'CONFIRMED');
    await waitForListing(`WorkflowId="${booking.workflowId}" AND BookingStatus="CONFIRMED"`, [booking.workflowId]);
    await waitForListing(`WorkflowId="${booking.workflowId}" AND BookingStatus="HELD"`, []);
  });

  test('BookingStatus is EXPIRED once the hold timer released the seats', async () => {
    const event = await createEvent(stack.baseUrl, { holdSeconds: 1 });
    const booking = await holdSeats(stack.baseUrl, event.id, [1]);
    assert.equal((await bookingHandle(stack, booking).result()).status, 'EXPIRED');
    await waitForBookingStatusAttribute(booking, 'EXPIRED');
    await waitForListing(`WorkflowId="${booking.workflowId}" AND BookingStatus="EXPIRED"`, [booking.workflowId]);
  });

  test('BookingStatus="HELD" AND EventId lists exactly the live holds of the event', async () => {
    const event = await createEvent(stack.baseUrl, { priceCents: 700 });
    const [confirmed, cancelled, held] = await Promise.all([
      holdSeats(stack.baseUrl, event.id, [1]),
      holdSeats(stack.baseUrl, event.id, [2]),
      holdSeats(stack.baseUrl, event.id, [3, 4]),
    ]);
    const confirmRes = await api(stack.baseUrl).post(`/bookings/${confirmed.id}/confirm`, { paymentToken: 'tok_visible' });
    assert.equal(confirmRes.status, 200, JSON.stringify(confirmRes.body));
    const cancelRes = await api(stack.baseUrl).post(`/bookings/${cancelled.id}/cancel`);
    assert.equal(cancelRes.status, 200, JSON.stringify(cancelRes.body));

    await waitForListing(`BookingStatus="HELD" AND EventId="${event.id}"`, [held.workflowId]);
    await waitForListing(`BookingStatus="CANCELLED" AND EventId="${event.id}"`, [cancelled.workflowId]);
  });

  test('the status query answers the current state while held and after confirmation', async () => {
    const event = await createEvent(stack.baseUrl, { priceCents: 700 });
    const booking = await holdSeats(stack.baseUrl, event.id, [5, 6]);

    const whileHeld = await bookingHandle(stack, booking).query(statusQuery);
    assert.equal(whileHeld.status, 'HELD');
    assert.equal(whileHeld.id, booking.id);
    assert.deepEqual(whileHeld.seatNumbers, [5, 6]);
    assert.equal(whileHeld.amountCents, 1400);
    assert.equal(whileHeld.expiresAt, booking.expiresAt);
    assert.equal(whileHeld.appliedPaymentId, null);

    const paymentIntentId = newPaymentIntentId();
    await payViaWebhook(stack, { bookingId: booking.id, amountCents: 1400, paymentIntentId });
    await bookingHandle(stack, booking).result();

    const afterConfirm = await bookingHandle(stack, booking).query(statusQuery);
    assert.equal(afterConfirm.status, 'CONFIRMED');
    assert.equal(afterConfirm.appliedPaymentId, paymentIntentId);
  });
});
