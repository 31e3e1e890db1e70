import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { EventRecord } from '../../domain/event';
import type { LayoutInput } from '../../domain/layout';
import { api, request } from '../support/http';

/** A small theatre: Stalls (3 rows of 6, "A" nearest the stage) at 50.00, Balcony (labelled seats) at 20.00, a GA floor. */
export const THEATRE: LayoutInput = {
  categories: [
    { key: 'premium', name: 'Premium', priceCents: 5000 },
    { key: 'normal', name: 'Normal', priceCents: 2000 },
    { key: 'floor', name: 'Standing', priceCents: 1500 },
  ],
  sections: [
    { section: 'Stalls', category: 'premium', rows: [{ row: 'A', seats: 6 }, { row: 'B', seats: 6 }, { row: 'C', seats: 6 }] },
    { section: 'Balcony', category: 'normal', rows: [{ row: 'K', seats: ['101', '102', '103', '104'] }] },
  ],
  areas: [{ area: 'Floor', category: 'floor', capacity: 30 }],
};

export async function createVenueEvent(
  baseUrl: string,
  layout: LayoutInput,
  overrides: Record<string, unknown> = {},
): Promise<EventRecord> {
  const res = await api(baseUrl).post<EventRecord>('/events', {
    name: `Venue ${randomUUID().slice(0, 8)}`,
    holdSeconds: 600,
    layout,
    ...overrides,
  });
  assert.equal(res.status, 201, `creating a venue event answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

export const put = <T = Record<string, unknown>>(baseUrl: string, path: string, body: unknown) =>
  request<T>(baseUrl, 'PUT', path, body);

export const buyer = () => `buyer-${randomUUID().slice(0, 8)}`;
