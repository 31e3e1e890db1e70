import type { Env } from '../config/env';
import type { Pool } from '../db/pool';
import type { PaymentProvider } from './paymentProvider';
import { createSimulatorProvider } from './simulatorProvider';
import { createStripeProvider } from './stripeProvider';

/** Stripe when STRIPE_SECRET_KEY is set, otherwise the built-in simulator (the default). */
export function createPaymentProvider(
  env: Pick<Env, 'stripeSecretKey' | 'stripeApiUrl' | 'paymentCurrency'>,
  pool: Pool,
): PaymentProvider {
  if (env.stripeSecretKey) {
    return createStripeProvider({ secretKey: env.stripeSecretKey, apiUrl: env.stripeApiUrl, currency: env.paymentCurrency });
  }
  return createSimulatorProvider(pool);
}
