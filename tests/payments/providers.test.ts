import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, test } from '@jest/globals';
import { useTestPool } from '../support/testPool';
import { injectRefundFault, simulatedRefundsOf } from '../../db/queries/simulatedPayments';
import { createPaymentProvider } from '../../payments/createPaymentProvider';
import { RefundRefusedError, type PaymentProvider } from '../../payments/paymentProvider';
import { createSimulatorProvider } from '../../payments/simulatorProvider';
import { createStripeProvider } from '../../payments/stripeProvider';
import { startStripeMock, type StripeMock } from '../support/stripeMock';

const newPaymentId = () => `pi_${randomUUID().replace(/-/g, '')}`;

/** For assert.rejects: a RefundRefusedError with this provider code. */
const refusedWith = (code: string) => (err: unknown) => {
  assert.ok(err instanceof RefundRefusedError, `expected a RefundRefusedError, got ${String(err)}`);
  assert.equal(err.code, code);
  return true;
};

describe('choosing the payment provider', () => {
  const pool = useTestPool(3);

  test('is the simulator when STRIPE_SECRET_KEY is unset and Stripe when it is set', () => {
    assert.equal(createPaymentProvider({ stripeSecretKey: undefined, stripeApiUrl: undefined, paymentCurrency: 'usd' }, pool).name, 'simulator');
    assert.equal(createPaymentProvider({ stripeSecretKey: 'sk_test_x', stripeApiUrl: undefined, paymentCurrency: 'usd' }, pool).name, 'stripe');
  });
});

describe('the simulator payment provider', () => {
  const pool = useTestPool(3);
  const simulator = createSimulatorProvider(pool);

  test('gives a booking the same PaymentIntent each time and another booking a different one', async () => {
    const bookingId = randomUUID();
    const first = await simulator.createPaymentIntent({ bookingId, amountCents: 1000 });
    const again = await simulator.createPaymentIntent({ bookingId, amountCents: 1000 });
    const other = await simulator.createPaymentIntent({ bookingId: randomUUID(), amountCents: 1000 });
    assert.deepEqual(again, first);
    assert.match(first.paymentIntentId, /^pi_sim_[0-9a-f]{24}$/);
    assert.ok(first.clientSecret.startsWith(`${first.paymentIntentId}_secret_`));
    assert.notEqual(other.paymentIntentId, first.paymentIntentId);
  });

  test('refunds once per idempotency key: asked twice, it answers the same refund and records one', async () => {
    const paymentId = newPaymentId();
    const first = await simulator.refund({ paymentId, amountCents: 1500, idempotencyKey: paymentId });
    const again = await simulator.refund({ paymentId, amountCents: 1500, idempotencyKey: paymentId });
    assert.deepEqual(again, first);
    assert.equal(first.status, 'succeeded');
    assert.match(first.refundId, /^re_sim_[0-9a-f]{24}$/);
    assert.deepEqual(await simulatedRefundsOf(pool, paymentId), [{ refundId: first.refundId, paymentId, amountCents: 1500 }]);
  });

  test('ten simultaneous refunds with one key make one refund', async () => {
    const paymentId = newPaymentId();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => simulator.refund({ paymentId, amountCents: 800, idempotencyKey: paymentId })),
    );
    assert.equal(new Set(answers.map((a) => a.refundId)).size, 1);
    assert.equal((await simulatedRefundsOf(pool, paymentId)).length, 1);
  });

  test('plays planned outages as retryable errors, then refunds', async () => {
    const paymentId = newPaymentId();
    await injectRefundFault(pool, paymentId, 'UNAVAILABLE', 2);
    for (let i = 0; i < 2; i++) {
      await assert.rejects(simulator.refund({ paymentId, amountCents: 100, idempotencyKey: paymentId }), (err: unknown) => {
        assert.ok(!(err instanceof RefundRefusedError), 'an outage must not look like a refusal');
        assert.match((err as Error).message, /simulated provider outage/);
        return true;
      });
    }
    assert.deepEqual(await simulatedRefundsOf(pool, paymentId), []);
    const refund = await simulator.refund({ paymentId, amountCents: 100, idempotencyKey: paymentId });
    assert.deepEqual(await simulatedRefundsOf(pool, paymentId), [{ refundId: refund.refundId, paymentId, amountCents: 100 }]);
  });

  test('plays a planned refusal as a RefundRefusedError', async () => {
    const paymentId = newPaymentId();
    await injectRefundFault(pool, paymentId, 'REFUSED', 1);
    await assert.rejects(simulator.refund({ paymentId, amountCents: 100, idempotencyKey: paymentId }), refusedWith('charge_disputed'));
    assert.deepEqual(await simulatedRefundsOf(pool, paymentId), []);
  });
});

describe('the Stripe payment provider against stripe-mock', () => {
  let mock: StripeMock;
  let stripe: PaymentProvider;
  beforeAll(async () => {
    mock = await startStripeMock();
    stripe = createStripeProvider({ secretKey: 'sk_test_123', apiUrl: mock.url, currency: 'usd' });
  });
  afterAll(async () => {
    await mock?.stop();
  });

  test('creates a PaymentIntent and answers its id and client secret', async () => {
    const intent = await stripe.createPaymentIntent({ bookingId: randomUUID(), amountCents: 2500 });
    assert.match(intent.paymentIntentId, /^pi_/);
    assert.ok(intent.clientSecret.length > 0);
  });

  test('refunds a PaymentIntent and answers the refund id and its status', async () => {
    const paymentId = newPaymentId();
    const refund = await stripe.refund({ paymentId, amountCents: 2500, idempotencyKey: paymentId });
    assert.match(refund.refundId, /^re_/);
    assert.equal(typeof refund.status, 'string');
  });

  test('refuses, without asking Stripe, to refund a payment that is not a PaymentIntent', async () => {
    await assert.rejects(
      stripe.refund({ paymentId: 'token:tok_1', amountCents: 100, idempotencyKey: 'token:tok_1' }),
      refusedWith('not_a_payment_intent'),
    );
  });
});

interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  form: URLSearchParams;
}

describe('the Stripe payment provider on the wire', () => {
  const requests: RecordedRequest[] = [];
  let reply: (req: RecordedRequest) => { status: number; body: unknown } = () => ({ status: 500, body: {} });
  let server: http.Server;
  let stripe: PaymentProvider;

  beforeAll(async () => {
    // A tiny Stripe stand-in that records each request and answers as told: a real HTTP round trip.
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const recorded = {
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          form: new URLSearchParams(Buffer.concat(chunks).toString()),
        };
        requests.push(recorded);
        const answer = reply(recorded);
        res.writeHead(answer.status, { 'content-type': 'application/json', 'stripe-should-retry': 'false' });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    stripe = createStripeProvider({ secretKey: 'sk_test_wire', apiUrl: `http://127.0.0.1:${port}`, currency: 'eur' });
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  test('creates the PaymentIntent with the amount, currency and metadata.bookingId, under a key per booking', async () => {
    const bookingId = randomUUID();
    reply = () => ({ status: 200, body: { id: 'pi_wire_1', object: 'payment_intent', client_secret: 'pi_wire_1_secret_abc' } });
    requests.length = 0;

    const intent = await stripe.createPaymentIntent({ bookingId, amountCents: 4200 });

    assert.deepEqual(intent, { paymentIntentId: 'pi_wire_1', clientSecret: 'pi_wire_1_secret_abc' });
    assert.equal(requests.length, 1);
    const [sent] = requests;
    assert.equal(sent.method, 'POST');
    assert.equal(sent.path, '/v1/payment_intents');
    assert.equal(sent.headers.authorization, 'Bearer sk_test_wire');
    assert.equal(sent.headers['idempotency-key'], `payment-intent-${bookingId}`);
    assert.equal(sent.form.get('amount'), '4200');
    assert.equal(sent.form.get('currency'), 'eur');
    assert.equal(sent.form.get('metadata[bookingId]'), bookingId);
    assert.equal(sent.form.get('automatic_payment_methods[enabled]'), 'true');
  });

  test('creates the refund for the PaymentIntent and amount under the idempotency key given', async () => {
    const paymentId = newPaymentId();
    reply = () => ({ status: 200, body: { id: 're_wire_1', object: 'refund', status: 'pending' } });
    requests.length = 0;

    const refund = await stripe.refund({ paymentId, amountCents: 1300, idempotencyKey: paymentId });

    assert.deepEqual(refund, { refundId: 're_wire_1', status: 'pending' });
    assert.equal(requests.length, 1);
    const [sent] = requests;
    assert.equal(sent.path, '/v1/refunds');
    assert.equal(sent.headers['idempotency-key'], paymentId);
    assert.equal(sent.form.get('payment_intent'), paymentId);
    assert.equal(sent.form.get('amount'), '1300');
    assert.equal(sent.form.get('reason'), 'requested_by_customer');
  });

  test("turns Stripe's refusal (invalid request: charge_already_refunded) into a RefundRefusedError", async () => {
    reply = () => ({
      status: 400,
      body: { error: { type: 'invalid_request_error', code: 'charge_already_refunded', message: 'Charge has already been refunded.' } },
    });
    const paymentId = newPaymentId();
    await assert.rejects(stripe.refund({ paymentId, amountCents: 100, idempotencyKey: paymentId }), refusedWith('charge_already_refunded'));
  });

  test('leaves a Stripe outage (500 api_error) a plain, retryable error', async () => {
    reply = () => ({ status: 500, body: { error: { type: 'api_error', message: 'Something went wrong on our end.' } } });
    const paymentId = newPaymentId();
    await assert.rejects(stripe.refund({ paymentId, amountCents: 100, idempotencyKey: paymentId }), (err: unknown) => {
      assert.ok(!(err instanceof RefundRefusedError), 'an outage must not look like a refusal');
      return true;
    });
  });
});
