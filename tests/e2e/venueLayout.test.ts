/**
 * The venue view of the seat-map page in Chromium: sections drawn from the layout and coloured by
 * what is free, picking seats in a section, best available, GA places, and a 100,000-seat event.
 */
import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import type { Page } from 'playwright-core';
import type { BookingResponse } from '../../api/presenters/booking';
import type { EventRecord } from '../../domain/event';
import type { LayoutInput } from '../../domain/layout';
import { useTestStack } from '../support/stack';
import { diagnostic } from '../support/testHooks';
import { buyer, createVenueEvent, THEATRE } from '../venues/venueFixtures';
import { byTestId, seat, SETTLE_MS, useChromium } from './seatMapBrowser';

// The default configuration: POST /events takes a stadium's layout without raising a limit.
const stack = useTestStack();
const browser = useChromium();

async function openVenue(event: EventRecord): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 820 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(`${stack.baseUrl}/?event=${event.id}`);
  await page.waitForSelector(`${byTestId('venue-sections')}[data-ready="true"]`, { timeout: SETTLE_MS });
  await page.fill(byTestId('user-id'), buyer());
  return { page, errors };
}

const posted = (page: Page) =>
  page.waitForResponse((r) => new URL(r.url()).pathname === '/bookings' && r.request().method() === 'POST');

describe('seat-map page: an event with a layout', () => {
  test('draws the sections, not one grid of every seat, and holds seats picked in a section', async () => {
    const event = await createVenueEvent(stack.baseUrl, THEATRE);
    const { page, errors } = await openVenue(event);
    assert.deepEqual(await page.locator(byTestId('venue-section')).allTextContents(), ['Stalls18 / 18 free', 'Balcony4 / 4 free']);
    assert.equal(await page.locator(`${byTestId('seat-grid')} [data-seat]`).count(), 0);

    await page.click(`[data-section="Balcony"]`);
    await page.waitForSelector(`${byTestId('section-detail')}[data-section="Balcony"]:not([hidden])`);
    await page.click(seat(20));
    await page.click(seat(21));
    await page.waitForSelector(`${seat(21)}[data-selected="true"]`);
    const [response] = await Promise.all([posted(page), page.click(byTestId('hold'))]);
    assert.equal(response.status(), 201, await response.text());
    const booking = (await response.json()) as BookingResponse;
    assert.deepEqual(booking.seatNumbers, [20, 21]);
    assert.equal(booking.amountCents, 4000);
    await page.waitForSelector(`${byTestId('booking')}[data-booking-status="HELD"]`);
    assert.equal(await page.textContent(byTestId('booking-seats')), 'Balcony K-102, Balcony K-103');
    // The live map turns them held, in the open section and in the overview.
    await page.waitForSelector(`${seat(20)}[data-status="HELD"]`, { timeout: SETTLE_MS });
    await page.waitForSelector(`[data-section="Balcony"][data-free="2"]`, { timeout: SETTLE_MS });
    assert.deepEqual(errors, []);
  });

  test('prices the selection seat by seat at each seat\'s category price, not at the dearest', async () => {
    const event = await createVenueEvent(stack.baseUrl, THEATRE);
    assert.equal(event.priceCents, 5000);
    const { page, errors } = await openVenue(event);
    await page.click(`[data-section="Stalls"]`);
    await page.waitForSelector(`${byTestId('section-detail')}[data-section="Stalls"]:not([hidden])`);
    await page.click(seat(1));
    await page.waitForSelector(`${seat(1)}[data-selected="true"]`);
    await page.click(`[data-section="Balcony"]`);
    await page.waitForSelector(`${byTestId('section-detail')}[data-section="Balcony"]:not([hidden])`);
    await page.click(seat(20));
    await page.click(seat(21));
    await page.waitForSelector(`${seat(21)}[data-selected="true"]`);
    // One premium seat at 50.00 and two normal seats at 20.00 each: 90.00 (not 3 × 50.00).
    assert.match((await page.textContent(byTestId('selection'))) ?? '', /^Seats 1, 20, 21 · \D*90\.00/);
    const [response] = await Promise.all([posted(page), page.click(byTestId('hold'))]);
    assert.equal(response.status(), 201, await response.text());
    assert.equal(((await response.json()) as BookingResponse).amountCents, 9000);
    assert.deepEqual(errors, []);
  });

  test('best available holds the best seats of the chosen category', async () => {
    const event = await createVenueEvent(stack.baseUrl, THEATRE);
    const { page, errors } = await openVenue(event);
    await page.fill(byTestId('best-quantity'), '3');
    await page.selectOption(byTestId('best-category'), 'premium');
    const [response] = await Promise.all([posted(page), page.click(byTestId('best-available'))]);
    assert.equal(response.status(), 201, await response.text());
    const booking = (await response.json()) as BookingResponse;
    assert.equal(booking.seats.length, 3);
    assert.ok(booking.seats.every((s) => s.section === 'Stalls' && s.row === 'A'), JSON.stringify(booking.seats));
    await page.waitForSelector(`${byTestId('booking')}[data-booking-status="HELD"]`);
    assert.match((await page.textContent(byTestId('booking-seats'))) ?? '', /^Stalls A-\d, Stalls A-\d, Stalls A-\d$/);
    await page.waitForSelector(`[data-section="Stalls"][data-free="15"]`, { timeout: SETTLE_MS });
    assert.deepEqual(errors, []);
  });

  test('shows the places left in a GA area and books places there', async () => {
    const event = await createVenueEvent(stack.baseUrl, THEATRE);
    const { page, errors } = await openVenue(event);
    assert.equal(await page.textContent(byTestId('area-left')), '30 of 30 places left');
    await page.fill(`${byTestId('venue-area')} input`, '2');
    const [response] = await Promise.all([posted(page), page.click(byTestId('area-book'))]);
    assert.equal(response.status(), 201, await response.text());
    await page.waitForSelector(`${byTestId('area-left')}[data-left="28"]`, { timeout: SETTLE_MS });
    assert.equal(await page.textContent(byTestId('booking-seats')), '2 places · Floor');
    assert.deepEqual(errors, []);
  });
});

describe('seat-map page: a 100,000-seat stadium', () => {
  test('draws the sections of 100,000 seats coloured by availability, then opens one', async () => {
    const stadium: LayoutInput = {
      categories: [
        { key: 'lower', name: 'Lower tier', priceCents: 9000 },
        { key: 'upper', name: 'Upper tier', priceCents: 4000 },
      ],
      sections: Array.from({ length: 40 }, (_, s) => ({
        section: `${s < 20 ? 'L' : 'U'}${(s % 20) + 1}`,
        category: s < 20 ? 'lower' : 'upper',
        rows: Array.from({ length: 50 }, (_, r) => ({ row: String(r + 1), seats: 50 })),
      })),
      areas: [],
    };
    const event = await createVenueEvent(stack.baseUrl, stadium);
    assert.equal(event.totalSeats, 100_000);
    // Warm the server's layout cache as any earlier visitor would, then time a fresh browser.
    await fetch(`${stack.baseUrl}/events/${event.id}/layout`).then((r) => r.arrayBuffer());
    const context = await browser.newContext({ viewport: { width: 1200, height: 820 } });
    const page = await context.newPage();
    const started = Date.now();
    await page.goto(`${stack.baseUrl}/?event=${event.id}`);
    await page.waitForSelector(`${byTestId('venue-sections')}[data-ready="true"]`, { timeout: SETTLE_MS });
    const firstPaintMs = Date.now() - started;
    const paint = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1);
    diagnostic(`100,000 seats: sections drawn and coloured ${firstPaintMs} ms after navigation (first contentful paint at ${Math.round(paint)} ms)`);
    assert.equal(await page.locator(byTestId('venue-section')).count(), 40);
    assert.equal(await page.locator('[data-seat]').count(), 0);
    await page.click('[data-section="L1"]');
    await page.waitForSelector(`${seat(2500)}[data-status="AVAILABLE"]`);
    assert.equal(await page.locator('[data-seat]').count(), 2500);
  });
});
