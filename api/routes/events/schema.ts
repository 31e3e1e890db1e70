import { z } from 'zod';
import { DEFAULT_CANCELLATION_CUTOFF_HOURS } from '../../../domain/cancellationPolicy';
import { DEFAULT_ADMISSION_SECONDS } from '../../../domain/waitingRoom';
import { seatCount } from '../../../domain/layout';
import { hasNoNul, NO_NUL_MESSAGE } from '../../middlewares/validate';
import { LayoutSchema } from './layoutSchema';

export const MAX_SEATS_PER_EVENT = 100_000;

/** `null`: no waiting room. */
export const WaitingRoomSchema = z
  .strictObject({
    admitPerMinute: z.number().int().min(1).max(1_000_000),
    /** A cap on buyers admitted and not yet done; null (the default): only the seats left bound it. */
    maxActive: z.number().int().min(1).max(1_000_000).nullable().default(null),
    /** How long an admission and its token last; no longer than a buyer needs to start booking. */
    admissionSeconds: z.number().int().min(10).max(3600).default(DEFAULT_ADMISSION_SECONDS),
  })
  .nullable();

const OnSaleAtSchema = z.iso.datetime({ offset: true }).nullable();

export const CreateEventSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).refine(hasNoNul, NO_NUL_MESSAGE),
  description: z.string().trim().max(5000).refine(hasNoNul, NO_NUL_MESSAGE).default(''),
  venue: z.string().trim().max(200).refine(hasNoNul, NO_NUL_MESSAGE).default(''),
  performers: z.array(z.string().trim().min(1).max(200).refine(hasNoNul, NO_NUL_MESSAGE)).max(50).default([]),
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
  /** When the sale opens; null (the default): on sale now. */
  onSaleAt: OnSaleAtSchema.default(null),
  waitingRoom: WaitingRoomSchema.default(null),
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

/** `PATCH /events/:id`: the sale's opening and the waiting room; what is omitted stays as it is. */
export const UpdateEventSchema = z
  .strictObject({ onSaleAt: OnSaleAtSchema.optional(), waitingRoom: WaitingRoomSchema.optional() })
  .refine((change) => change.onSaleAt !== undefined || change.waitingRoom !== undefined, {
    message: 'Send onSaleAt, waitingRoom or both',
  });

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

// A date alone means the whole day (UTC): from its start, to its end.
const DAY_MS = 86_400_000;
const dateOrDateTime = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);
const isDateOnly = (value: string) => !value.includes('T');

/** GET /events/search: words, a startsAt range (`from` and `to` both included), a page. */
export const SearchEventsQuerySchema = z
  .strictObject({
    q: z.string().trim().max(200).refine(hasNoNul, NO_NUL_MESSAGE).default(''),
    from: dateOrDateTime.optional(),
    to: dateOrDateTime.optional(),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
  })
  .transform(({ from, to, ...rest }) => ({
    ...rest,
    from: from === undefined ? undefined : new Date(from),
    before: to === undefined ? undefined : new Date(Date.parse(to) + (isDateOnly(to) ? DAY_MS : 1)),
  }))
  .refine((s) => !s.from || !s.before || s.from < s.before, { message: 'from must not be after to', path: ['from'] });
