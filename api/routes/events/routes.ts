import Router from '@koa/router';
import { searchEvents } from '../../../db/queries/eventSearch';
import { insertEventWithSeats, listEventsPage, listSeats } from '../../../db/queries/events';
import { changeSale } from '../../commands/changeSale';
import { ensureAdmission } from '../../commands/ensureAdmission';
import { startBooking } from '../../commands/startBooking';
import type { ApiDeps } from '../../deps';
import { AppError, eventNotFound, paymentRequired, seatAlreadyBooked, soldOut, invalidSeats } from '../../errors';
import { sendConditionalJson } from '../../middlewares/conditional';
import { jsonBody } from '../../middlewares/jsonBody';
import { rateLimit } from '../../middlewares/rateLimit';
import { requireAdmission } from '../../middlewares/requireAdmission';
import { parseOrThrow } from '../../middlewares/validate';
import { authorized } from '../../policies/authorize';
import { actingUserIdFor, callerOf } from '../../policies/caller';
import { ErrorCode } from '../../../domain/errorCodes';
import { readEvent, withAvailabilities } from './readEvent';
import { sendSeatMap } from './seatMap';
import { streamSeatMap } from './stream';
import { BookSeatSchema, CreateEventSchema, EventIdSchema, ListEventsQuerySchema, SearchEventsQuerySchema, UpdateEventSchema } from './schema';

export function eventRoutes(deps: ApiDeps): Router {
  const router = new Router({ prefix: '/events' });
  const body = jsonBody(deps.env.bodyLimitBytes);

  // The event's row from the node's event cache, for handlers that need it to exist but not its availability.
  const loadEventTerms = async (rawId: string) => {
    const id = EventIdSchema.safeParse(rawId);
    const event = id.success ? await deps.eventTerms.get(id.data) : undefined;
    if (!event) throw eventNotFound(rawId);
    return event;
  };

  // A venue layout may list every seat's label: events get a larger body limit of their own.
  router.post('/', authorized('event:create'), jsonBody(deps.env.layoutBodyLimitBytes), async (ctx) => {
    const input = parseOrThrow(CreateEventSchema, ctx.state.body);
    const event = await insertEventWithSeats(deps.pool, input);
    if (event.waitingRoom) await ensureAdmission(deps, event);
    ctx.status = 201;
    ctx.body = event;
  });

  // The sale's opening and the waiting room (docs/api.md#waiting-room).
  router.patch('/:id', authorized('event:update'), body, async (ctx) => {
    const event = await loadEventTerms(ctx.params.id);
    ctx.body = await changeSale(deps, event.id, parseOrThrow(UpdateEventSchema, ctx.state.body));
  });

  router.get('/', async (ctx) => {
    const { page, pageSize } = parseOrThrow(ListEventsQuerySchema, ctx.query, 'query');
    const { events, total } = await listEventsPage(deps.pool, page, pageSize);
    sendConditionalJson(ctx, { events: await withAvailabilities(deps, events), page, pageSize, total });
  });

  // Before /:id, which would take "search" for an event id.
  router.get('/search', async (ctx) => {
    const search = parseOrThrow(SearchEventsQuerySchema, ctx.query, 'query');
    const { events, total } = await searchEvents(deps.pool, search);
    ctx.body = { events, page: search.page, pageSize: search.pageSize, total };
  });

  router.get('/:id', async (ctx) => {
    sendConditionalJson(ctx, await readEvent(deps, ctx.params.id));
  });

  router.get('/:id/seats', async (ctx) => {
    const event = await loadEventTerms(ctx.params.id);
    ctx.body = await listSeats(deps.pool, event.id);
  });

  router.get('/:id/seat-map', async (ctx) => {
    await sendSeatMap(ctx, deps.seatMaps, ctx.params.id);
  });

  // The live seat map as server-sent events, for clients that cannot use Socket.IO.
  router.get('/:id/stream', async (ctx) => {
    const event = await loadEventTerms(ctx.params.id);
    await streamSeatMap(ctx, deps, event.id);
  });

  // The seed document's contract: book one seat at once, answered in that document's shapes.
  // Shares checkout's budgets with POST /bookings: both hold seats.
  router.post('/:id/book', body, rateLimit(deps, 'checkout'), requireAdmission(deps, 'path'), async (ctx) => {
    const event = await readEvent(deps, ctx.params.id);
    const { seatNumber, ...requested } = parseOrThrow(BookSeatSchema, ctx.state.body);
    const userId = actingUserIdFor(callerOf(ctx), requested.userId);
    if (seatNumber < 1 || seatNumber > event.totalSeats) {
      throw invalidSeats(`Invalid seat number ${seatNumber}: this event has seats 1 to ${event.totalSeats}`);
    }
    if (event.availableSeats === 0) throw soldOut();
    if (event.priceCents > 0) throw paymentRequired();
    try {
      const booking = await startBooking(deps, {
        eventId: event.id,
        userId,
        seatNumbers: [seatNumber],
        idempotencyKey: null,
        confirmOnHold: true,
      });
      ctx.status = 201;
      ctx.body = {
        success: true,
        bookingId: booking.id,
        eventId: event.id,
        seatNumber,
        userId,
        message: 'Seat booked successfully',
      };
    } catch (err) {
      if (err instanceof AppError && err.code === ErrorCode.SeatUnavailable) throw seatAlreadyBooked(seatNumber);
      throw err;
    }
  });

  return router;
}
