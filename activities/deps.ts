import type { Pool } from '../db/pool';
import type { HoldOutcome, HoldRequest } from '../db/queries/holds';
import type { PaymentProvider } from '../payments/paymentProvider';
import type { HoldOutcomes } from './holdOutcomes';

export interface ActivityDeps {
  pool: Pool;
  /** Who refunds money: the simulator or Stripe (payments/createPaymentProvider.ts). */
  payments: PaymentProvider;
  /** Set when this worker runs inside an API node: holds report here to the checkouts waiting on them. */
  holdOutcomes?: HoldOutcomes;
  /** The hold's SQL (db/queries/holds.ts by default); `npm run bench` swaps in a no-op to measure Temporal's floor. */
  holdQuery?: (pool: Pool, req: HoldRequest) => Promise<HoldOutcome>;
}
