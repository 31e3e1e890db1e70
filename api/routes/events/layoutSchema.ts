import { z } from 'zod';
import { rowLabels, type LayoutInput } from '../../../domain/layout';
import { hasNoNul, NO_NUL_MESSAGE } from '../../middlewares/validate';

export const MAX_LAYOUT_SEATS = 100_000;
export const MAX_AREA_CAPACITY = 100_000;

const name = (max: number) => z.string().trim().min(1).max(max).refine(hasNoNul, NO_NUL_MESSAGE);

const CategorySchema = z.strictObject({
  key: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, _ and - (1 to 40)'),
  name: name(100),
  priceCents: z.number().int().min(0).max(100_000_000),
});

const RowSchema = z.strictObject({
  row: name(20),
  seats: z.union([
    z.number().int().min(1, 'a row needs at least one seat').max(10_000),
    z.array(name(20)).min(1, 'a row needs at least one seat').max(10_000),
  ]),
});

const SectionSchema = z.strictObject({
  section: name(60),
  category: z.string().min(1).max(40),
  distance: z.number().min(0).max(1_000_000).optional(),
  rows: z.array(RowSchema).min(1, 'a section needs at least one row').max(2_000),
});

const AreaSchema = z.strictObject({
  area: name(60),
  category: z.string().min(1).max(40),
  capacity: z.number().int().min(1).max(MAX_AREA_CAPACITY),
});

function duplicates(values: string[]): string[] {
  return [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
}

/** The layout's shape, then what only the whole can tell: names unique, categories known, sizes bounded. */
export const LayoutSchema = z
  .strictObject({
    categories: z.array(CategorySchema).min(1, 'at least one category').max(100),
    sections: z.array(SectionSchema).max(1_000).default([]),
    areas: z.array(AreaSchema).max(100).default([]),
  })
  .superRefine((layout: LayoutInput, ctx) => {
    const problem = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const keys = layout.categories.map((c) => c.key);
    for (const key of duplicates(keys)) problem(['categories'], `duplicate category key "${key}"`);
    if (layout.sections.length + layout.areas.length === 0) problem([], 'a layout needs a section or an area');
    const places = [...layout.sections.map((s) => s.section), ...layout.areas.map((a) => a.area)];
    for (const place of duplicates(places)) problem(['sections'], `duplicate section or area name "${place}"`);
    let seats = 0;
    layout.sections.forEach((section, s) => {
      if (!keys.includes(section.category)) problem(['sections', s, 'category'], `unknown category "${section.category}"`);
      for (const row of duplicates(section.rows.map((r) => r.row))) {
        problem(['sections', s, 'rows'], `duplicate row "${row}" in section "${section.section}"`);
      }
      section.rows.forEach((row, r) => {
        const labels = rowLabels(row);
        seats += labels.length;
        for (const label of duplicates(labels)) {
          problem(['sections', s, 'rows', r, 'seats'], `duplicate seat label "${label}" in row "${row.row}"`);
        }
      });
    });
    if (seats > MAX_LAYOUT_SEATS) problem(['sections'], `at most ${MAX_LAYOUT_SEATS} seats per event (got ${seats})`);
    layout.areas.forEach((area, a) => {
      if (!keys.includes(area.category)) problem(['areas', a, 'category'], `unknown category "${area.category}"`);
    });
    const capacity = layout.areas.reduce((n, a) => n + a.capacity, 0);
    if (capacity > MAX_AREA_CAPACITY) problem(['areas'], `at most ${MAX_AREA_CAPACITY} GA places per event (got ${capacity})`);
  });

/** Staff mark seats not for sale: the whole set, replacing the previous one. */
export const BlockedSeatsSchema = z.strictObject({
  seatNumbers: z.array(z.number().int().min(1)).max(MAX_LAYOUT_SEATS),
});
