/** The seat-map page's search box, in Debian's Chromium: a misspelt search finds the event and shows its seats. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import { createEvent } from '../support/factories';
import { useTestStack } from '../support/stack';
import { byTestId, useChromium } from './seatMapBrowser';

const stack = useTestStack();
const browser = useChromium();

describe('the seat-map page search box', () => {
  test('a misspelt search within dates lists the event, and choosing it shows its live seat map', async () => {
    const venue = `Arena ${randomUUID().slice(0, 6)}`;
    const wanted = await createEvent(stack.baseUrl, {
      name: 'Taylor Swift | The Eras Tour',
      venue,
      totalSeats: 16,
      startsAt: '2033-07-04T19:00:00.000Z',
    });
    await createEvent(stack.baseUrl, { name: 'Taylor Swift | The Eras Tour', totalSeats: 8, startsAt: '2034-07-04T19:00:00.000Z' });
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(stack.baseUrl);
    await page.waitForSelector(`${byTestId('connection')}[data-state="live"]`);

    await page.fill(byTestId('search-q'), 'tylor swfit');
    await page.fill(byTestId('search-from'), '2033-01-01');
    await page.fill(byTestId('search-to'), '2033-12-31');
    await page.click(byTestId('search-submit'));
    const result = `${byTestId('search-results')} [data-event-id="${wanted.id}"]`;
    await page.waitForSelector(result);
    assert.equal(await page.locator(`${byTestId('search-results')} button`).count(), 1, 'the 2034 event is outside the dates');
    assert.match((await page.textContent(byTestId('search-status'))) ?? '', /^1 found/);
    assert.match((await page.textContent(result)) ?? '', new RegExp(venue));

    await page.click(result);
    await page.waitForFunction((id) => new URL(window.location.href).searchParams.get('event') === id, wanted.id);
    await page.waitForSelector(`${byTestId('seat-grid')}[data-version]`);
    assert.equal(await page.locator('[data-seat]').count(), 16);
    assert.equal(await page.inputValue(byTestId('event-select')), wanted.id);

    await page.fill(byTestId('search-q'), 'x'.repeat(10));
    await page.fill(byTestId('search-from'), '2033-12-31');
    await page.fill(byTestId('search-to'), '2033-01-01');
    await page.click(byTestId('search-submit'));
    await page.waitForFunction(() => /from must not be after to/.test(document.querySelector('[data-testid="search-status"]')?.textContent ?? ''));
    assert.deepEqual(errors, []);
  }, 120_000);
});
