import type { Pool } from '../db/pool';
import type { PaymentProvider } from '../payments/paymentProvider';

export interface ActivityDeps {
  pool: Pool;
  /** Who refunds money: the simulator or Stripe (payments/createPaymentProvider.ts). */
  payments: PaymentProvider;
}
