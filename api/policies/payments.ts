import { z } from 'zod';
import { findPayment, type PaymentRow } from '../../db/queries/payments';
import type { ApiDeps } from '../deps';
import { paymentNotFound } from '../errors';
import { authorize } from './authorize';
import type { Caller } from './caller';

const PaymentIdSchema = z.string().min(1).max(255).regex(/^[\x21-\x7e]+$/);

/**
 * A payment, for staff: the role is checked first (a buyer gets 403 whether the payment exists or
 * not), then 404 PAYMENT_NOT_FOUND for an unknown or malformed id.
 */
export async function loadPaymentFor(
  deps: Pick<ApiDeps, 'pool'>,
  caller: Caller,
  rawId: string,
  action: 'payment:read' | 'payment:refund',
): Promise<PaymentRow> {
  authorize(caller, action);
  const id = PaymentIdSchema.safeParse(rawId);
  const payment = id.success ? await findPayment(deps.pool, id.data) : undefined;
  if (!payment) throw paymentNotFound(rawId);
  return payment;
}
