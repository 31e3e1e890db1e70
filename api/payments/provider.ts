import type { Env } from '../../config/env';
import type { Pool } from '../../db/pool';
import { createPaymentProvider } from '../../payments/createPaymentProvider';
import type { PaymentProvider } from '../../payments/paymentProvider';

const providers = new WeakMap<Env, PaymentProvider>();

/** The API node's payment provider for its settings (one per Env object). */
export function paymentProviderOf(env: Env, pool: Pool): PaymentProvider {
  let provider = providers.get(env);
  if (!provider) {
    provider = createPaymentProvider(env, pool);
    providers.set(env, provider);
  }
  return provider;
}
