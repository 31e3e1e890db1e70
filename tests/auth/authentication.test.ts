/**
 * Bearer tokens with AUTH_REQUIRED on: what needs a token, which tokens are refused, what stays
 * public, the roles POST /events needs, and the dev command that issues tokens.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import { promisify } from 'node:util';
import { SignJWT } from 'jose';
import type { BookingResponse } from '../../api/presenters/booking';
import type { EventRecord, SeatView } from '../../domain/event';
import { assertError } from '../api/assertions';
import { useTestStack } from '../support/stack';
import { as, client, newUserId, tokenFor } from './authClient';

const run = promisify(execFile);

const secret = `auth-test-secret-${randomUUID()}`;
const stack = useTestStack({ env: { authRequired: true, jwtSecret: secret } });

const anonymous = () => client(stack.baseUrl);
const staff = () => as(stack.baseUrl, secret, newUserId('staff'), 'staff');

async function staffEvent(overrides: Record<string, unknown> = {}): Promise<EventRecord> {
  const res = await (await staff()).post<EventRecord>('/events', {
    name: `Auth ${randomUUID().slice(0, 8)}`,
    totalSeats: 10,
    priceCents: 1000,
    ...overrides,
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

/** A token signed with the stack's secret and issuer, with whatever claims the test chooses. */
function craftedToken(claims: Record<string, unknown>, options: { subject?: string; issuer?: string; exp?: number; key?: string } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(now - 120);
  if (options.subject !== undefined) jwt.setSubject(options.subject);
  jwt.setIssuer(options.issuer ?? 'seatflow');
  jwt.setExpirationTime(options.exp ?? now + 3600);
  return jwt.sign(new TextEncoder().encode(options.key ?? secret));
}

describe('with AUTH_REQUIRED: requests without a token', () => {
  test('POST /bookings answers 401 UNAUTHENTICATED and holds nothing', async () => {
    const event = await staffEvent();
    assertError(
      await anonymous().post('/bookings', { eventId: event.id, userId: newUserId(), seatNumbers: [1] }),
      401,
      'UNAUTHENTICATED',
    );
    const seats = (await anonymous().get<SeatView[]>(`/events/${event.id}/seats`)).body;
    assert.equal(seats.find((s) => s.seatNumber === 1)?.status, 'AVAILABLE');
    const { rows } = await stack.pool.query('SELECT 1 FROM bookings WHERE event_id = $1', [event.id]);
    assert.equal(rows.length, 0);
  });

  test('GET /bookings/:id of an existing booking answers 401 UNAUTHENTICATED', async () => {
    const event = await staffEvent();
    const buyer = await as(stack.baseUrl, secret, newUserId('buyer'));
    const held = await buyer.post<BookingResponse>('/bookings', { eventId: event.id, seatNumbers: [2] });
    assert.equal(held.status, 201, JSON.stringify(held.body));
    assertError(await anonymous().get(`/bookings/${held.body.id}`), 401, 'UNAUTHENTICATED');
    assertError(await anonymous().post(`/bookings/${held.body.id}/cancel`), 401, 'UNAUTHENTICATED');
    assertError(
      await anonymous().post(`/bookings/${held.body.id}/confirm`, { paymentToken: 'tok_visa' }),
      401,
      'UNAUTHENTICATED',
    );
    assertError(
      await anonymous().post('/simulator/payments', { bookingId: held.body.id, outcome: 'succeeded' }),
      401,
      'UNAUTHENTICATED',
    );
    assert.equal((await buyer.get<BookingResponse>(`/bookings/${held.body.id}`)).body.status, 'HELD');
  });

  test('GET /users/me/bookings answers 401 UNAUTHENTICATED', async () => {
    assertError(await anonymous().get('/users/me/bookings'), 401, 'UNAUTHENTICATED');
  });
});

describe('with AUTH_REQUIRED: tokens that are refused', () => {
  // Each is checked on GET /users/me/bookings, which a valid token reads (first test).
  test('a valid token reads GET /users/me/bookings (200)', async () => {
    const res = await (await as(stack.baseUrl, secret, newUserId('buyer'))).get('/users/me/bookings');
    assert.equal(res.status, 200, JSON.stringify(res.body));
  });

  test('a token signed with another secret (forged) answers 401', async () => {
    const forged = await tokenFor(`not-${secret}`, newUserId('buyer'), 'staff');
    assertError(await client(stack.baseUrl, `Bearer ${forged}`).get('/users/me/bookings'), 401, 'UNAUTHENTICATED');
    const event = { name: 'Forged', totalSeats: 5 };
    assertError(await client(stack.baseUrl, `Bearer ${forged}`).post('/events', event), 401, 'UNAUTHENTICATED');
  });

  test('an altered token (payload changed after signing) answers 401', async () => {
    const token = await tokenFor(secret, newUserId('buyer'), 'buyer');
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const altered = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
    assertError(
      await client(stack.baseUrl, `Bearer ${header}.${altered}.${signature}`).get('/users/me/bookings'),
      401,
      'UNAUTHENTICATED',
    );
  });

  test('an expired token answers 401', async () => {
    const expired = await craftedToken({ role: 'buyer' }, { subject: newUserId(), exp: Math.floor(Date.now() / 1000) - 60 });
    assertError(await client(stack.baseUrl, `Bearer ${expired}`).get('/users/me/bookings'), 401, 'UNAUTHENTICATED');
  });

  test('a token with an unknown role answers 401', async () => {
    const token = await craftedToken({ role: 'superuser' }, { subject: newUserId() });
    assertError(await client(stack.baseUrl, `Bearer ${token}`).get('/users/me/bookings'), 401, 'UNAUTHENTICATED');
  });

  test('a token without a subject or from another issuer answers 401', async () => {
    const noSubject = await craftedToken({ role: 'buyer' });
    const otherIssuer = await craftedToken({ role: 'buyer' }, { subject: newUserId(), issuer: 'someone-else' });
    for (const token of [noSubject, otherIssuer]) {
      assertError(await client(stack.baseUrl, `Bearer ${token}`).get('/users/me/bookings'), 401, 'UNAUTHENTICATED');
    }
  });

  test('an unsigned token (alg none) answers 401', async () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ sub: newUserId(), role: 'admin', iss: 'seatflow', exp: now + 600 })}.`;
    assertError(await client(stack.baseUrl, `Bearer ${unsigned}`).get('/users/me/bookings'), 401, 'UNAUTHENTICATED');
  });

  test('malformed Authorization headers answer 401', async () => {
    const valid = await tokenFor(secret, newUserId('buyer'));
    for (const header of ['Bearer', 'Bearer not-a-jwt', `Basic ${Buffer.from('a:b').toString('base64')}`, `Token ${valid}`, `Bearer ${valid} extra`, valid]) {
      const res = await client(stack.baseUrl, header).get('/users/me/bookings');
      assertError(res, 401, 'UNAUTHENTICATED');
    }
  });

  test('a bad token is refused even on a public read (tokens sent are always checked)', async () => {
    const forged = await tokenFor(`not-${secret}`, newUserId('buyer'));
    assertError(await client(stack.baseUrl, `Bearer ${forged}`).get('/events'), 401, 'UNAUTHENTICATED');
  });
});

describe('with AUTH_REQUIRED: public reads need no token', () => {
  test('GET /health, /events, /events/:id and /events/:id/seats answer 200', async () => {
    const event = await staffEvent({ totalSeats: 4 });
    const health = await anonymous().get('/health');
    assert.equal(health.status, 200, JSON.stringify(health.body));
    const list = await anonymous().get<{ events: EventRecord[] }>('/events?pageSize=100');
    assert.equal(list.status, 200);
    assert.ok(list.body.events.some((e) => e.id === event.id));
    const one = await anonymous().get<EventRecord>(`/events/${event.id}`);
    assert.equal(one.status, 200);
    assert.equal(one.body.availableSeats, 4);
    const seats = await anonymous().get<SeatView[]>(`/events/${event.id}/seats`);
    assert.equal(seats.status, 200);
    assert.deepEqual(seats.body.map((s) => s.seatNumber), [1, 2, 3, 4]);
  });

  test('the seat-map page, its script and styles, and the seat stream answer 200', async () => {
    const event = await staffEvent({ totalSeats: 3 });
    for (const path of ['/', '/app.js', '/styles.css']) {
      const res = await fetch(`${stack.baseUrl}${path}`);
      assert.equal(res.status, 200, `${path} answered ${res.status}`);
      await res.arrayBuffer();
    }
    const controller = new AbortController();
    const stream = await fetch(`${stack.baseUrl}/events/${event.id}/stream`, { signal: controller.signal });
    assert.equal(stream.status, 200);
    assert.match(stream.headers.get('content-type') ?? '', /^text\/event-stream/);
    controller.abort();
  });
});

describe('with AUTH_REQUIRED: POST /events', () => {
  const body = () => ({ name: `Roles ${randomUUID().slice(0, 8)}`, totalSeats: 5 });

  test('answers 401 without a token', async () => {
    assertError(await anonymous().post('/events', body()), 401, 'UNAUTHENTICATED');
  });

  test('answers 403 FORBIDDEN to a buyer and creates nothing', async () => {
    const request = body();
    const buyer = await as(stack.baseUrl, secret, newUserId('buyer'), 'buyer');
    assertError(await buyer.post('/events', request), 403, 'FORBIDDEN');
    const { rows } = await stack.pool.query('SELECT 1 FROM events WHERE name = $1', [request.name]);
    assert.equal(rows.length, 0);
  });

  test('answers 201 to staff and to admin', async () => {
    for (const role of ['staff', 'admin'] as const) {
      const res = await (await as(stack.baseUrl, secret, newUserId(role), role)).post<EventRecord>('/events', body());
      assert.equal(res.status, 201, `${role}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.availableSeats, 5);
    }
  });
});

describe('npm run token', () => {
  const token = async (...args: string[]) => {
    const { stdout } = await run('npm', ['run', 'token', '--', ...args], {
      cwd: stack.env.projectRoot,
      env: { ...process.env, JWT_SECRET: secret },
      timeout: 120_000,
    });
    const printed = stdout.trim().split('\n').at(-1) ?? '';
    assert.match(printed, /^[\w-]+\.[\w-]+\.[\w-]+$/, `no token in the output: ${stdout}`);
    return printed;
  };

  test('`npm run token -- alice staff` prints a staff token for alice that the API accepts', async () => {
    const printed = await token('alice', 'staff');
    const alice = client(stack.baseUrl, `Bearer ${printed}`);
    const created = await alice.post<EventRecord>('/events', { name: `Alice ${randomUUID().slice(0, 8)}`, totalSeats: 6 });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const held = await alice.post<BookingResponse>('/bookings', { eventId: created.body.id, seatNumbers: [1] });
    assert.equal(held.status, 201, JSON.stringify(held.body));
    assert.equal(held.body.userId, 'alice');
  });

  test('the role defaults to buyer, which may not create events', async () => {
    const printed = await token(newUserId('bob'));
    const bob = client(stack.baseUrl, `Bearer ${printed}`);
    assert.equal((await bob.get('/users/me/bookings')).status, 200);
    assertError(await bob.post('/events', { name: 'Bob', totalSeats: 2 }), 403, 'FORBIDDEN');
  });

  test('an unknown role is refused with a non-zero exit and no token', async () => {
    await assert.rejects(token('carol', 'superuser'), (err: Error & { code?: number; stderr?: string }) => {
      assert.notEqual(err.code, 0);
      assert.match(err.stderr ?? '', /role must be one of buyer, staff, admin/);
      return true;
    });
  });
});
