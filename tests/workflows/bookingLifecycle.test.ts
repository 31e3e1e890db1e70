import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { api } from '../support/http';
import { createEvent, eventually, holdSeats, paymentWebhook } from '../support/factories';
import { startTestStack, type TestStack } from '../support/stack';

describe('booking workflow lifecycle', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack();
  });
  after(async () => {
    await stack?.stop();
  });

  const bookingStatus = async (id: string) =>
    (await api(stack.baseUrl).get<{ status: string }>(`/bookings/${id}`)).body.status;

  test('hold then payment webhook confirms the booking and books its seats', async () => {
    const event = await createEvent(stack.baseUrl, { priceCents: 1500 });
    const booking = await holdSeats(stack.baseUrl, event.id, [1, 2]);
    assert.equal(booking.status, 'HELD');
    assert.equal(booking.amountCents, 3000);

    const { payload, headers } = paymentWebhook(stack.env.stripeWebhookSecret, {
      bookingId: booking.id,
      amountCents: 3000,
    });
    const res = await api(stack.baseUrl).post('/webhooks/payments', payload, headers);
    assert.equal(res.status, 200);

    await eventually(async () => ((await bookingStatus(booking.id)) === 'CONFIRMED' ? true : undefined));
    const seats = (await api(stack.baseUrl).get<{ seatNumber: number; status: string }[]>(`/events/${event.id}/seats`)).body;
    assert.deepEqual(
      seats.filter((s) => s.status === 'BOOKED').map((s) => s.seatNumber),
      [1, 2],
    );
  });

  test('hold with no payment is released when the hold timer fires', async () => {
    const event = await createEvent(stack.baseUrl, { holdSeconds: 2 });
    const booking = await holdSeats(stack.baseUrl, event.id, [3]);
    await eventually(async () => ((await bookingStatus(booking.id)) === 'EXPIRED' ? true : undefined), 15_000);
    const after = (await api(stack.baseUrl).get<{ availableSeats: number }>(`/events/${event.id}`)).body;
    assert.equal(after.availableSeats, event.totalSeats);
  });
});
