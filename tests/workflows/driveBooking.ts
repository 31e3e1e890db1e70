/** Small steps the workflow tests take against a running stack: pay, and wait for a status. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { eventually, paymentWebhook } from '../support/factories';
import { api, type JsonResponse } from '../support/http';
import type { BookingResponse } from '../../api/presenters/booking';
import type { bookingWorkflow } from '../../workflows';
import type { TestStack } from '../support/stack';
import { bookingRow, paymentsOf, type BookingRow } from './dbState';

/** The booking's workflow, for queries, signals and its result. */
export const bookingHandle = (stack: TestStack, booking: Pick<BookingResponse, 'workflowId'>) =>
  stack.temporal.workflow.getHandle<typeof bookingWorkflow>(booking.workflowId);

/** The booking's payments as `[paymentId, amountCents, disposition]`, in the order they were recorded. */
export const paymentSummary = async (stack: TestStack, bookingId: string) =>
  (await paymentsOf(stack.pool, bookingId)).map((p) => [p.paymentId, p.amountCents, p.disposition]);

export const newPaymentIntentId = () => `pi_${randomUUID().replace(/-/g, '')}`;

/** Delivers a signed `payment_intent.succeeded` webhook for the booking and expects it accepted. */
export async function payViaWebhook(
  stack: TestStack,
  options: { bookingId: string; amountCents: number; paymentIntentId?: string; eventId?: string },
): Promise<JsonResponse> {
  const { payload, headers } = paymentWebhook(stack.env.stripeWebhookSecret, options);
  const res = await api(stack.baseUrl).post('/webhooks/payments', payload, headers);
  assert.equal(res.status, 200, `the webhook answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res;
}

/** Waits until the booking's row in the database has `status`. */
export async function waitForBookingStatus(
  stack: TestStack,
  bookingId: string,
  status: string,
  timeoutMs = 20_000,
): Promise<BookingRow> {
  return eventually(
    async () => {
      const row = await bookingRow(stack.pool, bookingId);
      return row?.status === status ? row : undefined;
    },
    timeoutMs,
    `booking ${bookingId} to be ${status}`,
  );
}

/** Sleeps until the wall clock is past `iso` (plus a margin), e.g. a hold's expiry. */
export async function sleepUntilPast(iso: string, marginMs = 300): Promise<void> {
  const waitMs = Date.parse(iso) + marginMs - Date.now();
  if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
}
