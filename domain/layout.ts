/** A venue's layout: price categories, seated sections of labelled rows, general-admission areas. */

export interface LayoutCategory {
  key: string;
  name: string;
  priceCents: number;
}

export interface LayoutRow {
  row: string;
  /** A count (labels "1".."n") or the labels in order along the row. */
  seats: number | string[];
}

export interface LayoutSection {
  section: string;
  category: string;
  /** Nearest the stage first; default: the section's place in the list. */
  distance?: number;
  /** Nearest the stage first. */
  rows: LayoutRow[];
}

export interface LayoutArea {
  area: string;
  category: string;
  capacity: number;
}

export interface LayoutInput {
  categories: LayoutCategory[];
  sections: LayoutSection[];
  areas: LayoutArea[];
}

/** Where a seat is: what bookings, tickets and the layout call it. */
export interface SeatLabel {
  seatNumber: number;
  section: string;
  row: string;
  label: string;
  category: string;
}

/** A seat in GET /events/:id/layout: its label plus a position for drawing, within its section. */
export interface LayoutSeat extends SeatLabel {
  /** Place along the row (0 first). */
  x: number;
  /** Row (0 nearest the stage). */
  y: number;
}

export interface LayoutView {
  eventId: string;
  version: number;
  categories: LayoutCategory[];
  sections: { section: string; category: string; distance: number; rows: { row: string; seats: LayoutSeat[] }[] }[];
  areas: LayoutArea[];
}

/** A hold that picks its own seats: best available (optionally in a category or section), or GA places. */
export interface SeatPick {
  quantity: number;
  category?: string;
  section?: string;
  /** A GA area: places, not seats. */
  area?: string;
  /** Random seat allocation: any free seats of the filter drawn at random, not the best nor adjacent. */
  random?: boolean;
}

/** What an event made without a layout reads as: one section, one row, one category at its price. */
export const DEFAULT_SECTION = 'Main';
export const DEFAULT_ROW = '1';
export const DEFAULT_CATEGORY = 'standard';

/** Labels of the seats of an event created without a layout (and of bookings made before labels existed). */
export function defaultSeatLabel(seatNumber: number): SeatLabel {
  return { seatNumber, section: DEFAULT_SECTION, row: DEFAULT_ROW, label: String(seatNumber), category: DEFAULT_CATEGORY };
}

/** The labels of a row's seats, whichever way the row lists them. */
export function rowLabels(row: LayoutRow): string[] {
  return typeof row.seats === 'number' ? Array.from({ length: row.seats }, (_, i) => String(i + 1)) : row.seats;
}

/** How many seats the layout's sections hold. */
export function seatCount(layout: LayoutInput): number {
  return layout.sections.reduce((n, s) => n + s.rows.reduce((m, r) => m + rowLabels(r).length, 0), 0);
}

/** Why a picking hold was refused: the same words on the first answer and on replays. */
export function notEnoughSeatsMessage(pick: SeatPick | null | undefined, available: number): string {
  const where = pick?.area ? ` in area ${pick.area}` : [pick?.section && ` in section ${pick.section}`, pick?.category && ` in category ${pick.category}`].filter(Boolean).join('');
  return `Not enough ${pick?.area ? 'places' : 'seats'} left${where} for ${pick?.quantity ?? 0} (${available} free)`;
}
