/**
 * The seat-map page's waiting room in Chromium: the buyer joins, watches "Position N" count down
 * live, and the seat map opens on admission; the hold then carries the admission token.
 */
import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import { byTestId, holdFromPage, useChromium } from '../e2e/seatMapBrowser';
import { useTestStack } from '../support/stack';
import { eventWithRoom, fastAdmission, joined, newUser } from './roomClient';

const stack = useTestStack({ env: fastAdmission() });
const browser = useChromium();

describe('the seat-map page with a waiting room', () => {
  test('goes from "position N" to the seat map on admission, and holds seats with the admission token', async () => {
    // 8 a (15 s) minute: one buyer about every 2 s, so the page sees its position move before its turn.
    const event = await eventWithRoom(stack.baseUrl, { admitPerMinute: 8 }, { totalSeats: 12, priceCents: 1500 });
    for (let i = 0; i < 2; i++) await joined(stack.baseUrl, event.id, newUser());

    const context = await browser.newContext({ viewport: { width: 1200, height: 820 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${stack.baseUrl}/?event=${event.id}`);
    await page.waitForSelector(byTestId('queue-join'));
    assert.equal(await page.isVisible(byTestId('seat-grid')), false, 'the seat map stays closed before admission');

    await page.click(byTestId('queue-join'));
    const position = page.locator(byTestId('queue-position'));
    await position.filter({ hasText: /Position \d+/ }).waitFor({ timeout: 10_000 });
    const first = Number(/Position (\d+)/.exec((await position.textContent()) ?? '')?.[1]);
    assert.ok(first >= 2, `the page's buyer waits behind others (position ${first})`);

    // Lower positions arrive pushed, then the turn: the seat map opens.
    await page.waitForFunction(
      (start) => {
        const text = document.querySelector('[data-testid="queue-position"]')?.textContent ?? '';
        const match = /Position (\d+)/.exec(text);
        return match !== null && Number(match[1]) < start;
      },
      first,
      { timeout: 30_000 },
    );
    await page.waitForSelector(`${byTestId('waiting-room')}[data-queue-status="ADMITTED"]`, { timeout: 30_000 });
    await page.waitForSelector(`${byTestId('seat-grid')} [data-seat]`, { state: 'visible', timeout: 15_000 });
    assert.equal(await page.locator('[data-seat]').count(), event.totalSeats);

    const response = await holdFromPage(page, [3]);
    assert.equal(response.status(), 201, await response.text());
    assert.ok(response.request().headers()['admission-token'], 'the hold carried the admission token');
    assert.deepEqual(errors, []);
  });
});
