/**
 * HTTP hardening on the real server: helmet's security headers on every answer, the CORS allowlist
 * (none by default), Node's timeouts against slow clients (without cutting kept-alive connections
 * short), and Socket.IO's bounds: the size of a message and the seat maps one connection watches.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import type { EventRecord } from '../../domain/event';
import { SeatMapEvents } from '../../domain/seatMap';
import { createEvent, eventually, holdSeats } from '../support/factories';
import { SeatMapClient } from '../support/seatMapClient';
import { useTestStack } from '../support/stack';
import { afterThisTest } from '../support/testHooks';

const ALLOWED_ORIGIN = 'https://tickets.example.com';
const OTHER_ORIGIN = 'https://evil.example';

// Auth off, no CORS_ORIGINS (the defaults), tight timeouts and socket bounds so the tests are quick.
const stack = useTestStack({
  env: {
    httpHeadersTimeoutMs: 1_000,
    httpRequestTimeoutMs: 2_000,
    socketMaxMessageBytes: 1024,
    socketMaxSubscriptions: 3,
  },
});
// Auth on and one allowed origin.
const corsStack = useTestStack({ worker: false, env: { authRequired: true, corsOrigins: [ALLOWED_ORIGIN] } });

const get = (baseUrl: string, path: string, headers: Record<string, string> = {}) => fetch(`${baseUrl}${path}`, { headers });
const preflight = (baseUrl: string, path: string, origin: string) =>
  fetch(`${baseUrl}${path}`, {
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
  });

describe('security headers', () => {
  function assertHelmetHeaders(res: Response, what: string): void {
    const header = (name: string) => res.headers.get(name);
    assert.equal(header('content-security-policy'), "default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'", what);
    assert.equal(header('x-content-type-options'), 'nosniff', what);
    assert.equal(header('x-frame-options'), 'SAMEORIGIN', what);
    assert.match(header('strict-transport-security') ?? '', /^max-age=\d+/, what);
    assert.equal(header('referrer-policy'), 'no-referrer', what);
    assert.equal(header('cross-origin-opener-policy'), 'same-origin', what);
    assert.equal(header('cross-origin-resource-policy'), 'same-origin', what);
    assert.equal(header('x-powered-by'), null, what);
  }

  test('JSON answers carry helmet’s headers, with a Content-Security-Policy that allows nothing', async () => {
    const res = await get(stack.baseUrl, '/events');
    assert.equal(res.status, 200);
    await res.arrayBuffer();
    assertHelmetHeaders(res, 'GET /events');
  });

  test('error answers carry them too: 404, 405 and 401', async () => {
    for (const [baseUrl, method, path, status] of [
      [stack.baseUrl, 'GET', `/bookings/${randomUUID()}`, 404],
      [stack.baseUrl, 'DELETE', '/events', 405],
      [corsStack.baseUrl, 'GET', '/users/me/bookings', 401],
    ] as const) {
      const res = await fetch(`${baseUrl}${path}`, { method });
      assert.equal(res.status, status, `${method} ${path}`);
      await res.arrayBuffer();
      assertHelmetHeaders(res, `${method} ${path}`);
    }
  });

  test('the seat-map page keeps its own policy, which lets its script and styles load', async () => {
    const res = await get(stack.baseUrl, '/');
    assert.equal(res.status, 200);
    await res.arrayBuffer();
    assert.match(res.headers.get('content-security-policy') ?? '', /^default-src 'self'/);
    assert.equal(res.headers.get('x-frame-options'), 'SAMEORIGIN');
  });
});

describe('CORS', () => {
  test('without CORS_ORIGINS (the default) no origin gets a grant, on a request or a preflight', async () => {
    const res = await get(stack.baseUrl, '/events', { Origin: OTHER_ORIGIN });
    assert.equal(res.status, 200);
    await res.arrayBuffer();
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    const pre = await preflight(stack.baseUrl, '/bookings', OTHER_ORIGIN);
    await pre.arrayBuffer();
    assert.equal(pre.headers.get('access-control-allow-origin'), null);
    assert.equal(pre.headers.get('access-control-allow-methods'), null);
  });

  test('an origin in CORS_ORIGINS is granted, for a request and for its preflight (before any token is asked for)', async () => {
    const res = await get(corsStack.baseUrl, '/events', { Origin: ALLOWED_ORIGIN });
    assert.equal(res.status, 200);
    await res.arrayBuffer();
    assert.equal(res.headers.get('access-control-allow-origin'), ALLOWED_ORIGIN);
    assert.match(res.headers.get('vary') ?? '', /Origin/i);
    assert.equal(res.headers.get('access-control-allow-credentials'), null);

    const pre = await preflight(corsStack.baseUrl, '/bookings', ALLOWED_ORIGIN);
    assert.equal(pre.status, 204);
    await pre.arrayBuffer();
    assert.equal(pre.headers.get('access-control-allow-origin'), ALLOWED_ORIGIN);
    assert.match(pre.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.match(pre.headers.get('access-control-allow-headers') ?? '', /Authorization/);
  });

  test('an origin not in CORS_ORIGINS gets no grant, on a request or a preflight', async () => {
    const res = await get(corsStack.baseUrl, '/events', { Origin: OTHER_ORIGIN });
    assert.equal(res.status, 200);
    await res.arrayBuffer();
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    const pre = await preflight(corsStack.baseUrl, '/bookings', OTHER_ORIGIN);
    await pre.arrayBuffer();
    assert.notEqual(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), null);
  });
});

/** A raw TCP connection to the API, to send requests byte by byte as a slow client would. */
async function rawConnection(baseUrl: string) {
  const { hostname, port } = new URL(baseUrl);
  const socket = net.connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  afterThisTest(() => socket.destroy());
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (received += chunk));
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now())));
  socket.on('error', () => undefined);
  return { socket, closed, received: () => received };
}

describe('slow clients', () => {
  test('a client that does not finish its headers within HTTP_HEADERS_TIMEOUT_SECONDS is answered 408 and disconnected', async () => {
    const connection = await rawConnection(stack.baseUrl);
    const started = Date.now();
    connection.socket.write(`GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
    let timer: NodeJS.Timeout | undefined;
    const closedAt = await Promise.race([
      connection.closed,
      new Promise<number>((_, reject) => {
        timer = setTimeout(() => reject(new Error('the server kept the slow connection open')), 10_000);
      }),
    ]).finally(() => clearTimeout(timer));
    assert.match(connection.received(), /^HTTP\/1\.1 408 /);
    assert.ok(closedAt - started >= 900, `closed after ${closedAt - started} ms, before the headers timeout`);
  });

  test('an idle kept-alive connection outlives the headers timeout: its next request is served', async () => {
    const connection = await rawConnection(stack.baseUrl);
    const request = `GET /events?pageSize=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`;
    connection.socket.write(request);
    await eventually(async () => (/\r\n\r\n[\s\S]*\}$/.test(connection.received()) ? true : undefined), 5_000, 'the first answer');
    assert.match(connection.received(), /^HTTP\/1\.1 200 /);
    // Three times the headers timeout, idle between requests.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const before = connection.received().length;
    connection.socket.write(request);
    await eventually(
      async () => (/HTTP\/1\.1 \d{3} /.test(connection.received().slice(before)) ? true : undefined),
      5_000,
      'the second answer on the same connection',
    );
    assert.match(connection.received().slice(before), /^HTTP\/1\.1 200 /);
  });
});

describe('Socket.IO bounds', () => {
  test('a message larger than SOCKET_MAX_MESSAGE_BYTES ends its connection and subscribes nothing', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 3 });
    const client = await SeatMapClient.connect(stack.baseUrl);
    afterThisTest(() => client.close());
    client.emitRaw(SeatMapEvents.subscribe, { eventId: event.id, padding: 'x'.repeat(2048) });
    await client.waitFor(() => (client.disconnects.length > 0 ? true : undefined), 'the server to end the connection', 10_000);
    assert.deepEqual(client.snapshots(event.id), []);

    // The same subscription, under the limit, is served: the size is what was refused.
    const small = await SeatMapClient.connect(stack.baseUrl);
    afterThisTest(() => small.close());
    small.emitRaw(SeatMapEvents.subscribe, { eventId: event.id, padding: 'x'.repeat(100) });
    await small.waitFor(() => small.snapshots(event.id)[0], 'a snapshot for the small message');
    assert.deepEqual(small.disconnects, []);
  });

  test('the subscription past SOCKET_MAX_SUBSCRIPTIONS is refused with SUBSCRIPTION_LIMIT and receives nothing', async () => {
    const events: EventRecord[] = [];
    for (let i = 0; i < 4; i++) events.push(await createEvent(stack.baseUrl, { totalSeats: 3, priceCents: 0 }));
    const client = await SeatMapClient.connect(stack.baseUrl);
    afterThisTest(() => client.close());
    for (const event of events.slice(0, 3)) client.subscribe(event.id);
    for (const event of events.slice(0, 3)) await client.waitFor(() => client.snapshots(event.id)[0], `a snapshot of ${event.id}`);

    const fourth = events[3];
    client.emitRaw(SeatMapEvents.subscribe, { eventId: fourth.id });
    const [refusal] = await client.waitFor(() => (client.errors().length > 0 ? client.errors() : undefined), 'the refusal');
    assert.equal(refusal.code, 'SUBSCRIPTION_LIMIT');
    assert.match(refusal.message, /at most 3 seat maps/);
    // Subscribing again to one it watches is not a new subscription: still served.
    client.emitRaw(SeatMapEvents.subscribe, { eventId: events[0].id });
    await client.waitFor(() => (client.snapshots(events[0].id).length === 2 ? true : undefined), 'a second snapshot of the first event');

    // A seat change on the refused event reaches a watcher of it, but not this client.
    const watcher = await SeatMapClient.connect(stack.baseUrl);
    afterThisTest(() => watcher.close());
    watcher.subscribe(fourth.id);
    await watcher.waitFor(() => watcher.snapshots(fourth.id)[0], 'the watcher’s snapshot');
    await holdSeats(stack.baseUrl, fourth.id, [1]);
    await watcher.waitFor(() => watcher.updates(fourth.id)[0], 'the watcher to see the hold');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual(client.snapshots(fourth.id), []);
    assert.deepEqual(client.updates(fourth.id), []);
    assert.equal(client.errors().length, 1);

    // After leaving one seat map, the connection may watch another.
    client.unsubscribe(events[1].id);
    client.subscribe(fourth.id);
    await client.waitFor(() => client.snapshots(fourth.id)[0], 'a snapshot of the fourth event once there is room');
  });
});
