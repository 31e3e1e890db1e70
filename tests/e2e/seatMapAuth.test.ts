/**
 * The seat-map page against an API with AUTH_REQUIRED on, in Debian's Chromium: the map is public,
 * holding needs a token, and a token pasted into the page is kept and sent with every call.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import type { Page } from 'playwright-core';
import type { BookingResponse } from '../../api/presenters/booking';
import type { EventRecord } from '../../domain/event';
import { as, newUserId, tokenFor } from '../auth/authClient';
import { useTestStack } from '../support/stack';
import { byTestId, holdFromPage, seat, SETTLE_MS, useChromium } from './seatMapBrowser';

const secret = `page-test-secret-${randomUUID()}`;

const stack = useTestStack({ env: { authRequired: true, jwtSecret: secret } });
const browser = useChromium();

async function staffEvent(): Promise<EventRecord> {
  const staff = await as(stack.baseUrl, secret, newUserId('staff'), 'staff');
  const res = await staff.post<EventRecord>('/events', { name: `Signed-in ${randomUUID().slice(0, 8)}`, totalSeats: 12, priceCents: 800 });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

/** Opens the page on an event and waits for its live seat map, recording the Authorization header of every API call. */
async function openPage(event: EventRecord): Promise<{ page: Page; errors: string[]; authorizations: Map<string, string | undefined> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  const authorizations = new Map<string, string | undefined>();
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/socket.io')) return;
    authorizations.set(`${request.method()} ${url.pathname}`, request.headers().authorization);
  });
  await page.goto(`${stack.baseUrl}/?event=${event.id}`);
  await page.waitForSelector(`${byTestId('connection')}[data-state="live"]`);
  await page.waitForSelector(`${byTestId('seat-grid')}[data-version]`);
  assert.equal(await page.locator('[data-seat]').count(), event.totalSeats);
  return { page, errors, authorizations };
}

async function openSignIn(page: Page): Promise<void> {
  if ((await page.getAttribute(byTestId('auth'), 'open')) === null) await page.click(`${byTestId('auth')} summary`);
}

async function useToken(page: Page, token: string): Promise<void> {
  await openSignIn(page);
  await page.fill(byTestId('auth-token'), token);
  await page.click(byTestId('auth-save'));
}

describe('seat-map page with AUTH_REQUIRED', () => {
  test('without a token the map is live, and holding says a token is needed and opens Sign in', async () => {
    const event = await staffEvent();
    const { page, errors } = await openPage(event);
    assert.match((await page.textContent(byTestId('auth-status'))) ?? '', /not signed in/);

    const refused = await holdFromPage(page, [2]);
    assert.equal(refused.status(), 401, await refused.text());
    await page.waitForSelector(`${byTestId('error')}:not([hidden])`);
    assert.match((await page.textContent(byTestId('error'))) ?? '', /401 UNAUTHENTICATED.*paste a bearer token/);
    assert.notEqual(await page.getAttribute(byTestId('auth'), 'open'), null, 'the sign-in panel did not open');
    assert.equal(await page.getAttribute(seat(2), 'data-status'), 'AVAILABLE');
    assert.deepEqual(errors, []);
  });

  test('a pasted buyer token is sent with every call: the hold is the token user’s and paying confirms it', async () => {
    const event = await staffEvent();
    const { page, errors, authorizations } = await openPage(event);
    const userId = newUserId('page-buyer');
    const token = await tokenFor(secret, userId, 'buyer');
    await useToken(page, token);
    assert.match((await page.textContent(byTestId('auth-status'))) ?? '', new RegExp(`signed in as ${userId} \\(buyer\\)`));
    assert.equal(await page.inputValue(byTestId('user-id')), userId);
    assert.equal(await page.getAttribute(byTestId('user-id'), 'readonly'), '');

    const response = await holdFromPage(page, [5, 6]);
    assert.equal(response.status(), 201, await response.text());
    const booking = (await response.json()) as BookingResponse;
    assert.equal(booking.userId, userId);
    await page.waitForSelector(`${byTestId('booking')}[data-booking-status="HELD"]`);

    await page.click(byTestId('pay'));
    await page.waitForSelector(`${byTestId('booking')}[data-booking-status="CONFIRMED"]`, { timeout: SETTLE_MS });
    const owner = await as(stack.baseUrl, secret, userId);
    assert.equal((await owner.get<BookingResponse>(`/bookings/${booking.id}`)).body.status, 'CONFIRMED');

    for (const call of ['POST /bookings', `GET /bookings/${booking.id}`, 'POST /simulator/payments']) {
      assert.equal(authorizations.get(call), `Bearer ${token}`, `${call} was sent without the token`);
    }
    assert.deepEqual(errors, []);
  });

  test('the token is kept across visits until Sign out, and a buyer token cannot create a demo event', async () => {
    const event = await staffEvent();
    const { page, errors } = await openPage(event);
    const userId = newUserId('returning');
    await useToken(page, await tokenFor(secret, userId, 'buyer'));

    await page.reload();
    await page.waitForSelector(`${byTestId('seat-grid')}[data-version]`);
    assert.match((await page.textContent(byTestId('auth-status'))) ?? '', new RegExp(`signed in as ${userId}`));

    const [created] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/events' && r.request().method() === 'POST'),
      page.click(byTestId('create-demo-event')),
    ]);
    assert.equal(created.status(), 403);
    await page.waitForSelector(`${byTestId('error')}:not([hidden])`);
    assert.match((await page.textContent(byTestId('error'))) ?? '', /403 FORBIDDEN/);

    await openSignIn(page);
    await page.click(byTestId('auth-clear'));
    assert.match((await page.textContent(byTestId('auth-status'))) ?? '', /not signed in/);
    assert.equal(await page.getAttribute(byTestId('user-id'), 'readonly'), null);
    assert.match(await page.inputValue(byTestId('user-id')), /^guest-/);
    const refused = await holdFromPage(page, [1]);
    assert.equal(refused.status(), 401);
    assert.deepEqual(errors, []);
  });
});
