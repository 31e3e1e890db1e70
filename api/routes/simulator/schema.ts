import { z } from 'zod';

export const SimulatePaymentSchema = z.strictObject({
  bookingId: z.uuid(),
  outcome: z.enum(['succeeded', 'failed']),
});
export type SimulatePaymentRequest = z.infer<typeof SimulatePaymentSchema>;
