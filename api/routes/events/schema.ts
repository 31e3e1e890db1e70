import { z } from 'zod';
import { DEFAULT_CANCELLATION_CUTOFF_HOURS } from '../../../domain/cancellationPolicy';
import { seatCount } from '../../../domain/layout';
import { hasNoNul, NO_NUL_MESSAGE } from '../../middlewares/validate';
import { LayoutSchema } from './layoutSchema';

export const MAX_SEATS_PER_EVENT = 100_000;

export const CreateEventSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).refine(hasNoNul, NO_NUL_MESSAGE),
  /** Required without a layout; with one, optional and (when given) the number of seats in its sections. */
  totalSeats: z.number().int().min(1).max(MAX_SEATS_PER_EVENT).optional(),
  /** Sections, rows, categories and GA areas (domain/layout.ts); without it: seats 1..totalSeats at priceCents. */
  layout: LayoutSchema.optional(),
  priceCents: z.number().int().min(0).max(100_000_000).default(0),
  holdSeconds: z.number().int().min(1).max(3600).default(300),
  startsAt: z.iso.datetime({ offset: true }).nullable().default(null),
  maxSeatsPerBooking: z.number().int().min(1).max(100).default(10),
  /** Seats one buyer may have over all their live bookings for the event; null (the default): no limit. */
  maxSeatsPerBuyer: z.number().int().min(1).max(MAX_SEATS_PER_EVENT).nullable().default(null),
  /** Confirmed bookings may be cancelled until this many hours before startsAt (any time without startsAt). */
  cancellationCutoffHours: z.number().int().min(0).max(8760).default(DEFAULT_CANCELLATION_CUTOFF_HOURS),
})
  .superRefine((event, ctx) => {
    if (!event.layout && event.totalSeats === undefined) {
      ctx.addIssue({ code: 'custom', path: ['totalSeats'], message: 'required without a layout' });
    }
    if (event.layout && event.totalSeats !== undefined && event.totalSeats !== seatCount(event.layout)) {
      ctx.addIssue({
        code: 'custom',
        path: ['totalSeats'],
        message: `the layout's sections hold ${seatCount(event.layout)} seats, not ${event.totalSeats}`,
      });
    }
  })
  .transform(({ totalSeats, ...event }) => ({
    ...event,
    totalSeats: event.layout ? seatCount(event.layout) : (totalSeats ?? 0),
  }));
export type CreateEventRequest = z.infer<typeof CreateEventSchema>;

export const ListEventsQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const EventIdSchema = z.uuid();

/** The seed document's book-at-once contract. */
export const BookSeatSchema = z.strictObject({
  userId: z.string().trim().min(1).max(128).refine(hasNoNul, NO_NUL_MESSAGE),
  seatNumber: z.number().int(),
});
