import type { PaymentNotice } from '../domain/booking';
import { recordOwedBackPayment } from '../db/queries/payments';
import type { ActivityDeps } from './deps';

export function createRecordOwedBack({ pool }: ActivityDeps) {
  /** Money that did not buy the booking is recorded as owed back (refunds are issued elsewhere). */
  return async function recordOwedBack(bookingId: string, payment: PaymentNotice): Promise<void> {
    await recordOwedBackPayment(pool, {
      paymentId: payment.paymentId,
      bookingId,
      amountCents: payment.amountCents,
      providerEventId: payment.providerEventId ?? null,
    });
  };
}
