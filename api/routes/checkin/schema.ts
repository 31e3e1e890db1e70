import { z } from 'zod';

export const CheckinSchema = z.strictObject({
  /** The code from the ticket's QR. Anything we did not sign is refused as INVALID_TICKET, not here. */
  code: z.string().min(1).max(4096),
  /** The scanner's id for this scan: a retry with the same nonce is the same scan (answered the same, counted once). */
  nonce: z.string().min(1).max(128).regex(/^[\x21-\x7e]+$/, 'printable ASCII only').optional(),
  /** The event this gate admits to; a ticket for another one is refused as WRONG_EVENT. */
  eventId: z.uuid().optional(),
});
export type CheckinRequest = z.infer<typeof CheckinSchema>;
