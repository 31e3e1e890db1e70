/** Debian's Chromium driven by playwright-core, and the seat-map page's selectors, for the browser tests. */
import fs from 'node:fs';
import { chromium, type Browser, type Page, type Response } from 'playwright-core';

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
