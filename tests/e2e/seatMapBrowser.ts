/** Debian's Chromium driven by playwright-core, and the seat-map page's selectors, for the browser tests. */
import fs from 'node:fs';
import { afterAll, beforeAll } from '@jest/globals';
import { chromium, type Browser, type BrowserContext, type Page, type Response } from 'playwright-core';
import { afterThisTest } from '../support/testHooks';

const CHROMIUM = '/usr/bin/chromium';
// Without the background-networking flags Chromium keeps dialling out, which this machine refuses.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Steps that go through Temporal (payment, cancel, expiry) on a busy shared machine. */
export const SETTLE_MS = 30_000;

/** Starts headless Chromium; fails plainly (never skips) when it is not installed. */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `The browser tests need Debian's Chromium at ${CHROMIUM}, and it is not installed. ` +
        'Install it with `apt-get install chromium` (.ci/run does this before `npm test`).',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export interface TestBrowser {
  /** A fresh browser context (its own storage), closed when the current test ends. */
  newContext(options?: Parameters<Browser['newContext']>[0]): Promise<BrowserContext>;
}

/** One Chromium for the file's tests, launched before them and closed after them. */
export function useChromium(): TestBrowser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    async newContext(options) {
      if (!browser) throw new Error('Chromium is not running: open contexts inside a test');
      const context = await browser.newContext(options);
      afterThisTest(() => context.close());
      return context;
    },
  };
}

export const seat = (n: number) => `[data-seat="${n}"]`;
export const byTestId = (id: string) => `[data-testid="${id}"]`;

/** Selects seats and presses Hold; answers the POST /bookings response. */
export async function holdFromPage(page: Page, seats: number[]): Promise<Response> {
  for (const n of seats) await page.click(seat(n));
  const [response] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/bookings' && r.request().method() === 'POST'),
    page.click(byTestId('hold')),
  ]);
  return response;
}
