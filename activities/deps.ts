import type { Pool } from '../db/pool';
import type { PaymentProvider } from '../payments/paymentProvider';
import type { HoldOutcomes } from './holdOutcomes';

export interface ActivityDeps {
  pool: Pool;
  /** Who refunds money: the simulator or Stripe (payments/createPaymentProvider.ts). */
  payments: PaymentProvider;
  /** Set when this worker runs inside an API node: holds report here to the checkouts waiting on them. */
  holdOutcomes?: HoldOutcomes;
}
