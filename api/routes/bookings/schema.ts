import { z } from 'zod';
import { MAX_EXTENSION_SECONDS } from '../../../domain/holdExtension';
import { hasNoNul, NO_NUL_MESSAGE } from '../../middlewares/validate';

export const CreateBookingSchema = z.strictObject({
  eventId: z.uuid(),
  /** Optional with a bearer token (the token's user); required without one. */
  userId: z.string().trim().min(1).max(128).refine(hasNoNul, NO_NUL_MESSAGE).optional(),
  seatNumbers: z.array(z.number().int()).min(1, 'choose at least one seat').max(100),
});
export type CreateBookingRequest = z.infer<typeof CreateBookingSchema>;

export const ConfirmBookingSchema = z.strictObject({
  paymentToken: z.string().min(1).max(200).refine(hasNoNul, NO_NUL_MESSAGE),
});

/** Seconds to add to the hold's expiry; default: the event's hold time. The server's limits apply. */
export const ExtendHoldSchema = z.strictObject({
  seconds: z.number().int().min(1).max(MAX_EXTENSION_SECONDS).optional(),
});

export const BookingIdSchema = z.uuid();

export const IdempotencyKeySchema = z.string().min(1).max(255).regex(/^[\x21-\x7e]+$/, 'printable ASCII only');
