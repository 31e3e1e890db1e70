/**
 * The seat-map page: pick an event, watch its seats live, hold some, pay through the simulator
 * (or decline, or cancel) and see how the booking ends. Bundled for the browser by the API
 * (GET /app.js).
 */
import type { BookingResponse } from '../api/presenters/booking';
import type { EventRecord } from '../domain/event';
import type { SeatMapSync } from '../domain/seatMapSync';
import type { DecodedSeatStatus } from '../domain/seatBitmap';
import { bearerToken, callApi, describeError, setBearerToken, tokenClaims, ApiError } from './api';
import { mountEventSearch } from './eventSearch';
import { LiveSeatMap, type ConnectionState } from './liveSeatMap';
import { describeBookedSeats, LayoutView } from './layoutView';
import { WaitingRoomView } from './waitingRoom';

const POLL_MS = 1000;
const TERMINAL = new Set(['CONFIRMED', 'EXPIRED', 'CANCELLED', 'REJECTED']);
const STATUS_LABEL: Record<DecodedSeatStatus, string> = {
  AVAILABLE: 'available',
  HELD: 'held',
  BOOKED: 'booked',
  NOT_FOR_SALE: 'not for sale',
};

function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
}

const ui = {
  connection: $('connection'),
  auth: $<HTMLDetailsElement>('auth'),
  authStatus: $('auth-status'),
  authToken: $<HTMLInputElement>('auth-token'),
  authSave: $<HTMLButtonElement>('auth-save'),
  authClear: $<HTMLButtonElement>('auth-clear'),
  eventSelect: $<HTMLSelectElement>('event-select'),
  createDemo: $<HTMLButtonElement>('create-demo'),
  eventInfo: $('event-info'),
  grid: $('seat-grid'),
  counts: $('seat-counts'),
  version: $('seat-version'),
  error: $('error'),
  notice: $('notice'),
  selecting: $('selecting'),
  userId: $<HTMLInputElement>('user-id'),
  selection: $('selection'),
  hold: $<HTMLButtonElement>('hold'),
  clear: $<HTMLButtonElement>('clear'),
  booking: $('booking'),
  bookingId: $('booking-id'),
  bookingSeats: $('booking-seats'),
  bookingAmount: $('booking-amount'),
  bookingStatus: $('booking-status'),
  countdown: $('countdown'),
  actions: $('booking-actions'),
  pay: $<HTMLButtonElement>('pay'),
  decline: $<HTMLButtonElement>('decline'),
  cancel: $<HTMLButtonElement>('cancel'),
  confirmation: $('confirmation'),
  newBooking: $<HTMLButtonElement>('new-booking'),
  seatLayout: $('seat-layout'),
};

// An event with a waiting room keeps its seat map closed until the buyer is let in (web/waitingRoom.ts).
const waitingRoom = new WaitingRoomView(
  { panel: $('waiting-room'), status: $('queue-status'), position: $('queue-position'), join: $<HTMLButtonElement>('queue-join') },
  {
    userId: () => (bearerToken() ? undefined : ui.userId.value.trim()),
    onAdmitted: () => {
      ui.seatLayout.hidden = false;
      if (state.event) {
        live.show(state.event.id);
        venue.show(state.event.id).then(renderSeats, showFailure);
      }
    },
    onClosed: () => {
      ui.seatLayout.hidden = true;
    },
    onError: (message) => showError(message),
  },
);

const state = {
  event: undefined as EventRecord | undefined,
  seats: new Map<number, DecodedSeatStatus>(),
  selected: new Set<number>(),
  booking: undefined as BookingResponse | undefined,
  busy: false,
  timer: undefined as ReturnType<typeof setInterval> | undefined,
  lastPoll: 0,
  /** The seat map's version; the grid shows it once its seats are drawn. */
  version: -1,
};

const money = (cents: number | null) =>
  !cents ? 'Free' : (cents / 100).toLocaleString('en-US', { style: 'currency', currency: 'USD' });
const seatList = (seats: number[]) => [...seats].sort((a, b) => a - b).join(', ');

function showMessage(element: HTMLElement, text: string | undefined): void {
  element.textContent = text ?? '';
  element.hidden = !text;
}
const showError = (text: string | undefined) => showMessage(ui.error, text);
/** Shows an error; one that says a token is needed also opens the sign-in panel. */
function showFailure(err: unknown): void {
  if (err instanceof ApiError && err.status === 401) ui.auth.open = true;
  showError(describeError(err));
}
const showNotice = (text: string | undefined) => showMessage(ui.notice, text);

// ---------------------------------------------------------------- the live map

function setConnection(connection: ConnectionState): void {
  ui.connection.dataset.state = connection;
  ui.connection.textContent = connection === 'live' ? 'live' : connection === 'connecting' ? 'reconnecting…' : 'offline';
}

function seatButton(seat: number): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'seat';
  button.dataset.seat = String(seat);
  button.textContent = String(seat);
  return button;
}

function renderSeats(): void {
  const mine = new Set(state.booking && !TERMINAL.has(state.booking.status) ? state.booking.seatNumbers : []);
  // Events with a layout are drawn by section (web/layoutView.ts) instead of as one grid of every seat.
  if (venue.active) {
    if (ui.grid.childElementCount > 0) ui.grid.replaceChildren();
    venue.render(mine);
    const counts: Record<DecodedSeatStatus, number> = { AVAILABLE: 0, HELD: 0, BOOKED: 0, NOT_FOR_SALE: 0 };
    for (const status of state.seats.values()) counts[status]++;
    ui.counts.textContent = `${counts.AVAILABLE} available · ${counts.HELD} held · ${counts.BOOKED} booked`;
    renderSelection();
    return;
  }
  if (ui.grid.childElementCount !== state.seats.size) {
    ui.grid.replaceChildren(...[...state.seats.keys()].sort((a, b) => a - b).map(seatButton));
  }
  if (state.version >= 0) ui.grid.dataset.version = String(state.version);
  const counts: Record<DecodedSeatStatus, number> = { AVAILABLE: 0, HELD: 0, BOOKED: 0, NOT_FOR_SALE: 0 };
  for (const button of Array.from(ui.grid.children as HTMLCollectionOf<HTMLButtonElement>)) {
    const seat = Number(button.dataset.seat);
    const status = state.seats.get(seat) ?? 'AVAILABLE';
    counts[status]++;
    const selected = state.selected.has(seat);
    if (button.dataset.status !== status) button.dataset.status = status;
    button.dataset.selected = String(selected);
    button.dataset.mine = String(mine.has(seat));
    button.dataset.conflict = String(selected && status !== 'AVAILABLE');
    button.setAttribute('aria-pressed', String(selected));
    button.setAttribute('aria-disabled', String(status !== 'AVAILABLE' && !selected));
    button.title = `Seat ${seat}: ${mine.has(seat) ? 'held by you' : STATUS_LABEL[status]}`;
  }
  ui.counts.textContent = `${counts.AVAILABLE} available · ${counts.HELD} held · ${counts.BOOKED} booked`;
  renderSelection();
}

function onSeatMap(sync: SeatMapSync): void {
  state.seats = new Map(sync.seats);
  state.version = sync.version;
  ui.version.textContent = String(sync.version);
  renderSeats();
}

const live = new LiveSeatMap({
  onChange: onSeatMap,
  onConnection: setConnection,
  onError: (message) => showError(message),
});

const venue = new LayoutView({
  seats: () => state.seats,
  selected: state.selected,
  onSelect: () => renderSeats(),
  book: (request) => holdBy(request),
});
ui.grid.before(venue.root);

ui.grid.addEventListener('click', (e) => {
  const button = (e.target as HTMLElement).closest<HTMLButtonElement>('button.seat');
  if (!button || state.booking) return;
  const seat = Number(button.dataset.seat);
  if (state.selected.has(seat)) state.selected.delete(seat);
  else if (state.seats.get(seat) === 'AVAILABLE') state.selected.add(seat);
  else return;
  renderSeats();
});

// ---------------------------------------------------------------- events

function renderEventInfo(): void {
  const event = state.event;
  ui.eventInfo.textContent = event
    ? `${event.name} · ${event.totalSeats} seats · ${money(event.priceCents)} a seat · holds last ${event.holdSeconds} s · up to ${event.maxSeatsPerBooking} seats a booking${
        event.maxSeatsPerBuyer ? `, ${event.maxSeatsPerBuyer} a buyer` : ''
      }`
    : '';
}

async function loadEvents(preferredId?: string): Promise<void> {
  const { events } = await callApi<{ events: EventRecord[] }>('GET', '/events?pageSize=100');
  if (preferredId && !events.some((e) => e.id === preferredId)) {
    try {
      events.unshift(await callApi<EventRecord>('GET', `/events/${encodeURIComponent(preferredId)}`));
    } catch (err) {
      showFailure(err);
    }
  }
  ui.eventSelect.replaceChildren(
    ...events.map((event) => {
      const option = document.createElement('option');
      option.value = event.id;
      option.textContent = `${event.name} (${event.totalSeats} seats)`;
      return option;
    }),
  );
  if (events.length === 0) {
    ui.eventSelect.append(new Option('No events yet', ''));
    showNotice('There are no events yet: create a demo event to try the seat map.');
    return;
  }
  const chosen = events.find((e) => e.id === preferredId) ?? events[0];
  ui.eventSelect.value = chosen.id;
  await chooseEvent(chosen.id);
}

async function chooseEvent(eventId: string): Promise<void> {
  stopBooking();
  showError(undefined);
  showNotice(undefined);
  state.selected.clear();
  state.seats = new Map();
  ui.grid.replaceChildren();
  // The grid says which version it shows only once it shows this event's (tests and tools wait on it).
  delete ui.grid.dataset.version;
  ui.version.textContent = '–';
  state.version = -1;
  state.event = await callApi<EventRecord>('GET', `/events/${encodeURIComponent(eventId)}`);
  const url = new URL(window.location.href);
  url.searchParams.set('event', eventId);
  history.replaceState(null, '', url);
  renderEventInfo();
  renderBooking();
  const gated = waitingRoom.show(state.event);
  ui.seatLayout.hidden = gated;
  if (!gated) {
    live.show(eventId);
    await venue.show(eventId);
    renderSeats();
  }
}

mountEventSearch(
  {
    form: $<HTMLFormElement>('event-search'),
    q: $<HTMLInputElement>('search-q'),
    from: $<HTMLInputElement>('search-from'),
    to: $<HTMLInputElement>('search-to'),
    results: $('search-results'),
    status: $('search-status'),
  },
  (event) => {
    if (!Array.from(ui.eventSelect.options).some((o) => o.value === event.id)) {
      ui.eventSelect.prepend(new Option(`${event.name} (${event.totalSeats} seats)`, event.id));
    }
    ui.eventSelect.value = event.id;
    chooseEvent(event.id).catch(showFailure);
  },
);

ui.eventSelect.addEventListener('change', () => {
  if (ui.eventSelect.value) chooseEvent(ui.eventSelect.value).catch(showFailure);
});

ui.createDemo.addEventListener('click', async () => {
  ui.createDemo.disabled = true;
  try {
    const time = new Date().toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
    const event = await callApi<EventRecord>('POST', '/events', {
      name: `Demo concert ${time}`,
      totalSeats: 60,
      priceCents: 2500,
      holdSeconds: 120,
      maxSeatsPerBooking: 6,
    });
    await loadEvents(event.id);
  } catch (err) {
    showFailure(err);
  } finally {
    ui.createDemo.disabled = false;
  }
});

// ---------------------------------------------------------------- selecting and holding

function renderSelection(): void {
  const seats = [...state.selected];
  const taken = seats.filter((s) => state.seats.get(s) !== 'AVAILABLE');
  // A layout prices each seat by its category; a plain event has one price for every seat.
  const amount = venue.priceCents(seats) ?? (state.event?.priceCents ?? 0) * seats.length;
  let text = seats.length === 0 ? 'Pick seats on the map.' : `Seats ${seatList(seats)} · ${money(amount)}`;
  if (taken.length > 0) text += ` · seat ${seatList(taken)} was just taken`;
  ui.selection.textContent = text;
  ui.hold.disabled = state.busy || seats.length === 0;
  ui.clear.disabled = state.busy || seats.length === 0;
}

ui.clear.addEventListener('click', () => {
  state.selected.clear();
  renderSeats();
});

ui.hold.addEventListener('click', async () => {
  if (!state.event || state.selected.size === 0) return;
  // With a token the server takes its user; without one the page names the user.
  const userId = bearerToken() ? undefined : ui.userId.value.trim();
  if (userId === '') return showError('Enter a user id first.');
  state.busy = true;
  renderSelection();
  showError(undefined);
  showNotice(undefined);
  try {
    const admission = waitingRoom.admissionToken();
    const booking = await callApi<BookingResponse>(
      'POST',
      '/bookings',
      { eventId: state.event.id, ...(userId === undefined ? {} : { userId }), seatNumbers: [...state.selected].sort((a, b) => a - b) },
      admission ? { 'Admission-Token': admission } : {},
    );
    state.selected.clear();
    startBooking(booking);
  } catch (err) {
    if (err instanceof ApiError) for (const seat of err.seats) state.selected.delete(seat);
    showFailure(err);
  } finally {
    state.busy = false;
    renderSeats();
  }
});

/** Best available or GA places: the server picks the seats. */
async function holdBy(request: { quantity: number; category?: string; area?: string }): Promise<void> {
  if (!state.event || state.busy || (state.booking && !TERMINAL.has(state.booking.status))) return;
  const userId = bearerToken() ? undefined : ui.userId.value.trim();
  if (userId === '') return showError('Enter a user id first.');
  showError(undefined);
  showNotice(undefined);
  try {
    const body = { eventId: state.event.id, ...(userId === undefined ? {} : { userId }), ...request };
    startBooking(await callApi<BookingResponse>('POST', '/bookings', body));
  } catch (err) {
    showFailure(err);
  } finally {
    renderSeats();
  }
}

// ---------------------------------------------------------------- the booking

function startBooking(booking: BookingResponse): void {
  state.booking = booking;
  clearInterval(state.timer);
  state.timer = setInterval(tick, 250);
  renderBooking();
}

function stopBooking(): void {
  clearInterval(state.timer);
  state.timer = undefined;
  state.booking = undefined;
}

function secondsLeft(booking: BookingResponse): number {
  return booking.expiresAt ? Math.max(0, Math.ceil((Date.parse(booking.expiresAt) - Date.now()) / 1000)) : 0;
}

function renderBooking(): void {
  const booking = state.booking;
  ui.booking.hidden = !booking;
  ui.selecting.hidden = Boolean(booking);
  if (!booking) return;
  const done = TERMINAL.has(booking.status);
  ui.booking.dataset.bookingStatus = booking.status;
  ui.bookingId.textContent = booking.id;
  ui.bookingSeats.textContent = describeBookedSeats(booking);
  ui.bookingAmount.textContent = money(booking.amountCents);
  ui.bookingStatus.textContent = booking.status;
  const left = secondsLeft(booking);
  ui.countdown.hidden = done;
  ui.countdown.dataset.secondsLeft = String(left);
  ui.countdown.textContent =
    left > 0 ? `Held for you: ${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')} left to pay` : 'The hold time is up…';
  ui.actions.hidden = done;
  ui.pay.disabled = state.busy || left === 0;
  ui.decline.disabled = state.busy || left === 0;
  ui.cancel.disabled = state.busy;
  ui.newBooking.hidden = !done;
  showMessage(ui.confirmation, booking.status === 'CONFIRMED' ? confirmationText(booking) : undefined);
}

function confirmationText(booking: BookingResponse): string {
  const applied = booking.payments?.find((p) => p.disposition === 'APPLIED');
  const paid = applied ? ` Paid ${money(applied.amountCents)} (${applied.paymentId}).` : '';
  return `Confirmed! Seats ${seatList(booking.seatNumbers)} are yours.${paid}`;
}

/** Tells how a booking ended, once. */
function settled(booking: BookingResponse): void {
  const seats = seatList(booking.seatNumbers);
  const owed = booking.payments?.filter((p) => p.disposition === 'OWED_BACK') ?? [];
  const refund = owed.length > 0 ? ` The late payment of ${money(owed[0].amountCents)} is being refunded to you.` : '';
  if (booking.status === 'CONFIRMED') showNotice(undefined);
  if (booking.status === 'EXPIRED') {
    showError(`Hold expired: the hold expired before payment arrived, so seats ${seats} were released (410 HOLD_EXPIRED).${refund}`);
  }
  if (booking.status === 'CANCELLED') showNotice(`Booking cancelled: seats ${seats} were released.${refund}`);
  if (booking.status === 'REJECTED') showError(`Seats ${seats} could not be held.`);
}

function update(booking: BookingResponse): void {
  const before = state.booking?.status;
  state.booking = booking;
  if (TERMINAL.has(booking.status)) {
    clearInterval(state.timer);
    state.timer = undefined;
    if (before !== booking.status) settled(booking);
  }
  renderBooking();
  renderSeats();
}

/** Every quarter second: the countdown; every second: the booking as the server has it, until it ends. */
function tick(): void {
  const booking = state.booking;
  if (!booking) return;
  renderBooking();
  if (Date.now() - state.lastPoll < POLL_MS) return;
  state.lastPoll = Date.now();
  callApi<BookingResponse>('GET', `/bookings/${booking.id}`).then(
    (latest) => state.booking?.id === latest.id && latest.status !== 'PENDING' && update(latest),
    () => undefined,
  );
}

async function act(work: () => Promise<void>): Promise<void> {
  state.busy = true;
  renderBooking();
  showError(undefined);
  try {
    await work();
  } catch (err) {
    showFailure(err);
  } finally {
    state.busy = false;
    renderBooking();
  }
}

interface SimulatedPayment {
  paymentIntentId: string;
  eventId: string;
  webhookStatus: number;
}

async function simulate(outcome: 'succeeded' | 'failed'): Promise<void> {
  const booking = state.booking;
  if (!booking) return;
  const sent = await callApi<SimulatedPayment>('POST', '/simulator/payments', { bookingId: booking.id, outcome });
  if (sent.webhookStatus >= 400) throw new Error(`The payment webhook refused the delivery (${sent.webhookStatus}).`);
  showNotice(
    outcome === 'succeeded'
      ? `Payment ${sent.paymentIntentId} sent: waiting for the booking to confirm…`
      : `Payment declined (card declined). Your seats stay held until the timer runs out: pay again or cancel.`,
  );
  state.lastPoll = 0;
}

ui.pay.addEventListener('click', () => act(() => simulate('succeeded')));
ui.decline.addEventListener('click', () => act(() => simulate('failed')));
ui.cancel.addEventListener('click', () =>
  act(async () => {
    const booking = state.booking;
    if (booking) update(await callApi<BookingResponse>('POST', `/bookings/${booking.id}/cancel`));
  }),
);
ui.newBooking.addEventListener('click', () => {
  stopBooking();
  showError(undefined);
  showNotice(undefined);
  renderBooking();
  renderSeats();
});

// ---------------------------------------------------------------- signing in

const guestId = `guest-${Math.random().toString(36).slice(2, 8)}`;

/** Shows who the stored token is for; with one, the user id is the token's and cannot be edited. */
function renderAuth(): void {
  const token = bearerToken();
  const claims = token ? tokenClaims(token) : undefined;
  ui.auth.dataset.signedIn = String(Boolean(token));
  ui.userId.readOnly = Boolean(token);
  if (!token) {
    ui.authStatus.textContent = '· not signed in';
    if (!ui.userId.value || ui.userId.dataset.fromToken === 'true') ui.userId.value = guestId;
    ui.userId.dataset.fromToken = 'false';
    return;
  }
  const expired = claims?.expiresAt !== undefined && claims.expiresAt <= Date.now();
  ui.authStatus.textContent = !claims
    ? '· a token is set, but it does not look like one'
    : `· signed in as ${claims.userId} (${claims.role})${expired ? ', token expired' : ''}`;
  ui.userId.value = claims?.userId ?? '';
  ui.userId.dataset.fromToken = 'true';
}

function useToken(): void {
  const token = ui.authToken.value.trim().replace(/^Bearer\s+/i, '');
  setBearerToken(token || undefined);
  ui.authToken.value = '';
  showError(undefined);
  renderAuth();
}

ui.authSave.addEventListener('click', useToken);
ui.authToken.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') useToken();
});
ui.authClear.addEventListener('click', () => {
  setBearerToken(undefined);
  ui.authToken.value = '';
  renderAuth();
});

// ---------------------------------------------------------------- start

renderAuth();
setConnection('connecting');
loadEvents(new URL(window.location.href).searchParams.get('event') ?? undefined).catch(showFailure);
