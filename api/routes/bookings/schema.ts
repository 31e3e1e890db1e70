import { z } from 'zod';
import { MAX_EXTENSION_SECONDS } from '../../../domain/holdExtension';
import type { SeatPick } from '../../../domain/layout';
import { hasNoNul, NO_NUL_MESSAGE } from '../../middlewares/validate';

export const CreateBookingSchema = z.strictObject({
  eventId: z.uuid(),
  /** Optional with a bearer token (the token's user); required without one. */
  userId: z.string().trim().min(1).max(128).refine(hasNoNul, NO_NUL_MESSAGE).optional(),
  /** The seats to hold; or instead `quantity` for the best available (in a category or section), or places in a GA `area`. */
  seatNumbers: z.array(z.number().int()).min(1, 'choose at least one seat').max(100).optional(),
  quantity: z.number().int().min(1).max(100).optional(),
  category: z.string().min(1).max(40).optional(),
  section: z.string().min(1).max(60).optional(),
  area: z.string().min(1).max(60).optional(),
  /** With quantity: random free seats (in the category or section) instead of the best available. */
  random: z.boolean().optional(),
})
  .superRefine((req, ctx) => {
    const problem = (message: string) => ctx.addIssue({ code: 'custom', path: [], message });
    if ((req.seatNumbers === undefined) === (req.quantity === undefined)) {
      problem('send either seatNumbers or quantity (best available, or places with area)');
    }
    if (req.seatNumbers && (req.category || req.section || req.area)) {
      problem('category, section and area go with quantity, not seatNumbers');
    }
    if (req.area && (req.category || req.section)) problem('a GA area has no category or section to choose');
    if (req.random && req.quantity === undefined) problem('random goes with quantity, not seatNumbers');
    if (req.random && req.area) problem('a GA area has no seats to draw at random');
  });
export type CreateBookingRequest = z.infer<typeof CreateBookingSchema>;

/** The seats asked for by number, or the pick (best available, GA places) that chooses them. */
export function bookingTarget(req: CreateBookingRequest): { seatNumbers: number[]; pick?: SeatPick } {
  if (req.seatNumbers) return { seatNumbers: req.seatNumbers };
  const { quantity = 1, category, section, area, random } = req;
  return {
    seatNumbers: [],
    pick: {
      quantity,
      ...(category ? { category } : {}),
      ...(section ? { section } : {}),
      ...(area ? { area } : {}),
      ...(random ? { random: true } : {}),
    },
  };
}

export const ConfirmBookingSchema = z.strictObject({
  paymentToken: z.string().min(1).max(200).refine(hasNoNul, NO_NUL_MESSAGE),
});

/** Seconds to add to the hold's expiry; default: the event's hold time. The server's limits apply. */
export const ExtendHoldSchema = z.strictObject({
  seconds: z.number().int().min(1).max(MAX_EXTENSION_SECONDS).optional(),
});

export const BookingIdSchema = z.uuid();

export const IdempotencyKeySchema = z.string().min(1).max(255).regex(/^[\x21-\x7e]+$/, 'printable ASCII only');
