/**
 * Found by `npm run chaos`: with PostgreSQL killed, a payment webhook was answered 500 INTERNAL, as
 * if the API were broken. A dependency that is away is answered 503 SERVICE_UNAVAILABLE with
 * Retry-After, so the provider redelivers; the redelivery once PostgreSQL is back is applied once.
 * A real API process and worker on a private PostgreSQL that the test kills (SIGKILL) and restarts.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, test } from '@jest/globals';
import type { BookingResponse } from '../../api/presenters/booking';
import { startApiProcess, type ApiProcess } from '../realtime/apiProcess';
import { createEvent, eventually, holdSeats, paymentWebhook } from '../support/factories';
import { api } from '../support/http';
import { startPrivatePostgres, type PrivatePostgres } from '../support/privatePostgres';
import { useTestStack } from '../support/stack';
import { startWorkerProcess, type WorkerProcess } from '../support/workerProcess';

const stack = useTestStack({ worker: false });
let postgres: PrivatePostgres;
let worker: WorkerProcess;
let node: ApiProcess;

beforeAll(async () => {
  postgres = await startPrivatePostgres();
  const taskQueue = `pg-down-${randomUUID()}`;
  worker = await startWorkerProcess({ ...stack.env, databaseUrl: postgres.databaseUrl, taskQueue });
  node = await startApiProcess('API on a private PostgreSQL', {
    DATABASE_URL: postgres.databaseUrl,
    TEMPORAL_ADDRESS: stack.env.temporalAddress,
    TEMPORAL_NAMESPACE: stack.env.temporalNamespace,
    TEMPORAL_TASK_QUEUE: taskQueue,
    STRIPE_WEBHOOK_SECRET: stack.env.stripeWebhookSecret,
  });
}, 240_000);
afterAll(async () => {
  await node?.stop();
  await worker?.kill();
  await postgres?.destroy();
}, 120_000);

async function deliver(delivery: ReturnType<typeof paymentWebhook>) {
  const res = await fetch(`${node.url}/webhooks/payments`, { method: 'POST', headers: delivery.headers, body: delivery.payload });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as { code?: string } };
}

describe('PostgreSQL killed under the API', () => {
  test('a payment webhook is answered 503 SERVICE_UNAVAILABLE with Retry-After, and its redelivery once it is back confirms the booking once', async () => {
    const event = await createEvent(node.url, { totalSeats: 5, holdSeconds: 600 });
    const booking = await holdSeats(node.url, event.id, [2]);
    const delivery = paymentWebhook(stack.env.stripeWebhookSecret, { bookingId: booking.id, amountCents: booking.amountCents ?? 0 });

    await postgres.kill();
    const refused = await deliver(delivery);
    assert.equal(refused.status, 503, JSON.stringify(refused.body));
    assert.equal(refused.body.code, 'SERVICE_UNAVAILABLE');
    assert.ok(Number(refused.retryAfter) >= 1, `Retry-After should be set, got ${refused.retryAfter}`);
    const read = await api(node.url).get(`/bookings/${booking.id}`);
    assert.equal(read.status, 503, JSON.stringify(read.body));

    await postgres.start();
    const accepted = await eventually(async () => {
      const res = await deliver(delivery);
      return res.status === 200 ? res : undefined;
    }, 60_000, 'the redelivery to be accepted');
    assert.equal(accepted.status, 200);
    const confirmed = await eventually(async () => {
      const res = await api(node.url).get<BookingResponse>(`/bookings/${booking.id}`);
      return res.body.status === 'CONFIRMED' ? res.body : undefined;
    }, 60_000, 'the booking to be CONFIRMED');
    assert.deepEqual(confirmed.payments, [{ paymentId: delivery.paymentIntentId, amountCents: booking.amountCents, disposition: 'APPLIED' }]);
    assert.equal(node.child.exitCode, null, 'the API should have stayed up');
  });
});
