/**
 * The venue view of the seat-map page, for events with a layout: an overview of the sections drawn
 * from GET /events/:id/layout and coloured by how many seats are free (a heat map for a stadium);
 * click a section to pick its seats; a best-available control (quantity, category); GA areas with
 * the places left. Seat statuses come from the page's live seat map. Only the open section's seats
 * are in the DOM, so a 100,000-seat event stays quick to draw.
 */
import type { LayoutSeat, LayoutView as Layout } from '../domain/layout';
import type { DecodedSeatStatus } from '../domain/seatBitmap';
import { callApi } from './api';

export interface LayoutViewHooks {
  /** The live seat statuses (seat number → status). */
  seats(): ReadonlyMap<number, DecodedSeatStatus>;
  /** The seats the buyer picked; the page's Hold button holds them. */
  selected: Set<number>;
  /** The selection changed. */
  onSelect(): void;
  /** Holds by best available or GA places: the page adds the user and shows the booking. */
  book(request: { quantity: number; category?: string; area?: string }): Promise<void>;
}

interface SectionInfo {
  name: string;
  category: string;
  seats: LayoutSeat[];
  element: HTMLButtonElement;
}

interface AreaInfo {
  name: string;
  first: number;
  capacity: number;
  left: HTMLElement;
}

const HEAT = ['#c53030', '#dd6b20', '#d69e2e', '#68a34a', '#2f855a'];

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Pick<HTMLElementTagNameMap[K], 'className' | 'textContent' | 'hidden'>> & Record<string, string | boolean> = {},
  testId?: string,
): HTMLElementTagNameMap[K] {
  const element: HTMLElement = document.createElement(tag);
  Object.assign(element, props);
  if (testId) element.setAttribute('data-testid', testId);
  return element as HTMLElementTagNameMap[K];
}

export class LayoutView {
  readonly root = el('div', { className: 'venue', hidden: true }, 'venue');
  private readonly overview = el('div', { className: 'venue-sections' }, 'venue-sections');
  private readonly detail = el('div', { className: 'venue-detail', hidden: true }, 'section-detail');
  private readonly areasList = el('ul', { className: 'venue-areas' }, 'venue-areas');
  private readonly quantity = el('input', { type: 'number', min: '1', max: '10', value: '2' }, 'best-quantity');
  private readonly category = el('select', {}, 'best-category');
  private readonly bestButton = el('button', { type: 'button', className: 'primary', textContent: 'Best available' }, 'best-available');
  private layout: Layout | undefined;
  private sections: SectionInfo[] = [];
  private areas: AreaInfo[] = [];
  private open: SectionInfo | undefined;
  // Seat number → its category's price, so a selection is priced seat by seat, not at the dearest price.
  private prices = new Map<number, number>();
  private pending = false;
  private requestId = 0;
  // While the layout loads the page draws no seats: a stadium's would be 100,000 buttons.
  private loading = false;

  constructor(private readonly hooks: LayoutViewHooks) {
    const best = el('div', { className: 'row venue-best' });
    const label: HTMLElement = el('label', { textContent: 'Best available' });
    best.append(label, this.quantity, this.category, this.bestButton);
    this.root.append(best, this.overview, this.detail, this.areasList);
    this.bestButton.addEventListener('click', () => {
      const quantity = Number(this.quantity.value);
      const category = this.category.value || undefined;
      void this.hooks.book({ quantity, ...(category ? { category } : {}) });
    });
    this.overview.addEventListener('click', (e) => {
      const button = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-section]');
      const section = this.sections.find((s) => s.name === button?.dataset.section);
      if (section) this.openSection(section);
    });
    this.detail.addEventListener('click', (e) => {
      const button = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-seat]');
      if (!button) return;
      const seat = Number(button.dataset.seat);
      if (this.hooks.selected.has(seat)) this.hooks.selected.delete(seat);
      else if ((this.hooks.seats().get(seat) ?? 'AVAILABLE') === 'AVAILABLE') this.hooks.selected.add(seat);
      else return;
      this.hooks.onSelect();
    });
    this.areasList.addEventListener('click', (e) => {
      const button = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-area]');
      const input = button?.parentElement?.querySelector('input');
      if (button?.dataset.area && input) void this.hooks.book({ area: button.dataset.area, quantity: Number(input.value) });
    });
  }

  /** Whether the open event has a layout worth drawing (more than the one default section). */
  get active(): boolean {
    return this.loading || !this.root.hidden;
  }

  /** The price of these seats, each at its own category's price; undefined without a drawn layout. */
  priceCents(seats: Iterable<number>): number | undefined {
    if (!this.layout) return undefined;
    let total = 0;
    for (const seat of seats) total += this.prices.get(seat) ?? 0;
    return total;
  }

  /** Loads the event's layout; an event made without one keeps the page's plain seat grid. */
  async show(eventId: string): Promise<void> {
    const id = ++this.requestId;
    this.root.hidden = true;
    this.layout = undefined;
    this.prices = new Map();
    this.open = undefined;
    this.loading = true;
    let layout: Layout;
    try {
      layout = await callApi<Layout>('GET', `/events/${encodeURIComponent(eventId)}/layout`);
    } finally {
      if (id === this.requestId) this.loading = false;
    }
    if (id !== this.requestId) return;
    const plain = layout.areas.length === 0 && layout.sections.length === 1 && layout.sections[0].section === 'Main' &&
      layout.categories.length === 1 && layout.categories[0].key === 'standard';
    if (plain) return;
    this.layout = layout;
    this.build(layout);
    this.root.hidden = false;
  }

  private build(layout: Layout): void {
    this.category.replaceChildren(
      el('option', { value: '', textContent: 'Any category' }),
      ...layout.categories.map((c) => el('option', { value: c.key, textContent: `${c.name} · ${(c.priceCents / 100).toFixed(2)}` })),
    );
    const priceOf = new Map(layout.categories.map((c) => [c.key, c.priceCents]));
    this.prices = new Map();
    for (const s of layout.sections) {
      const price = priceOf.get(s.category) ?? 0;
      for (const row of s.rows) for (const seat of row.seats) this.prices.set(seat.seatNumber, price);
    }
    this.sections = layout.sections.map((s) => {
      const seats = s.rows.flatMap((r) => r.seats);
      const element = el('button', { type: 'button', className: 'venue-section' });
      element.dataset.section = s.section;
      element.dataset.testid = 'venue-section';
      element.title = `${s.section} (${s.category}): ${seats.length} seats`;
      element.append(el('strong', { textContent: s.section }), el('span', { className: 'venue-free' }));
      return { name: s.section, category: s.category, seats, element };
    });
    this.overview.replaceChildren(...this.sections.map((s) => s.element));
    // GA places are numbered after the seats, area by area in layout order.
    let next = this.sections.reduce((n, s) => n + s.seats.length, 0) + 1;
    this.areas = layout.areas.map((a) => {
      const left = el('span', { className: 'venue-left' }, 'area-left');
      const info = { name: a.area, first: next, capacity: a.capacity, left };
      next += a.capacity;
      return info;
    });
    this.areasList.replaceChildren(
      ...this.areas.map((a) => {
        const item = el('li', {}, 'venue-area');
        item.dataset.area = a.name;
        const book = el('button', { type: 'button', textContent: 'Book places' }, 'area-book');
        book.dataset.area = a.name;
        item.append(el('strong', { textContent: a.name }), a.left, el('input', { type: 'number', min: '1', max: '10', value: '1' }), book);
        return item;
      }),
    );
    this.detail.hidden = true;
    this.render(new Set());
  }

  private openSection(section: SectionInfo): void {
    this.open = section;
    const rows = new Map<string, HTMLElement>();
    for (const seat of section.seats) {
      let row = rows.get(seat.row);
      if (!row) {
        row = el('div', { className: 'venue-row' });
        row.append(el('span', { className: 'venue-row-label', textContent: seat.row }));
        rows.set(seat.row, row);
      }
      const button = el('button', { type: 'button', className: 'seat', textContent: seat.label });
      button.dataset.seat = String(seat.seatNumber);
      row.append(button);
    }
    const close = el('button', { type: 'button', textContent: 'All sections' }, 'close-section');
    close.addEventListener('click', () => {
      this.open = undefined;
      this.detail.hidden = true;
    });
    this.detail.replaceChildren(el('h3', { textContent: `${section.name} · ${section.category}` }), close, ...rows.values());
    this.detail.dataset.section = section.name;
    this.detail.hidden = false;
    this.render(new Set());
  }

  /** Colours the sections and the open section's seats; batched to one redraw per frame. */
  render(mine: ReadonlySet<number>): void {
    if (!this.layout || this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.draw(mine);
    });
  }

  private draw(mine: ReadonlySet<number>): void {
    const seats = this.hooks.seats();
    const known = seats.size > 0;
    for (const section of this.sections) {
      let free = 0;
      for (const seat of section.seats) if ((seats.get(seat.seatNumber) ?? 'AVAILABLE') === 'AVAILABLE') free++;
      const share = section.seats.length ? free / section.seats.length : 0;
      section.element.style.background = known ? HEAT[Math.min(HEAT.length - 1, Math.floor(share * HEAT.length))] : '';
      section.element.dataset.free = String(free);
      const label = section.element.querySelector('.venue-free');
      if (label) label.textContent = known ? `${free} / ${section.seats.length} free` : `${section.seats.length} seats`;
    }
    this.overview.dataset.ready = String(known);
    for (const area of this.areas) {
      let free = 0;
      for (let n = area.first; n < area.first + area.capacity; n++) if ((seats.get(n) ?? 'AVAILABLE') === 'AVAILABLE') free++;
      area.left.textContent = `${free} of ${area.capacity} places left`;
      area.left.dataset.left = String(free);
    }
    if (!this.open) return;
    for (const button of Array.from(this.detail.querySelectorAll<HTMLButtonElement>('button[data-seat]'))) {
      const seat = Number(button.dataset.seat);
      const status = seats.get(seat) ?? 'AVAILABLE';
      const selected = this.hooks.selected.has(seat);
      if (button.dataset.status !== status) button.dataset.status = status;
      button.dataset.selected = String(selected);
      button.dataset.mine = String(mine.has(seat));
      button.setAttribute('aria-pressed', String(selected));
      button.setAttribute('aria-disabled', String(status !== 'AVAILABLE' && !selected));
    }
  }
}

/** A booking's seats as a buyer reads them: places in a GA area, labelled seats, or plain numbers. */
export function describeBookedSeats(booking: {
  seatNumbers: number[];
  seats?: { section: string; row: string; label: string }[];
  area?: string;
  quantity?: number;
}): string {
  if (booking.area) return `${booking.quantity ?? 0} places · ${booking.area}`;
  const labelled = booking.seats?.length && booking.seats.some((s) => s.section !== 'Main');
  if (labelled && booking.seats) return booking.seats.map((s) => `${s.section} ${s.row}-${s.label}`).join(', ');
  return [...booking.seatNumbers].sort((a, b) => a - b).join(', ');
}
