import assert from 'node:assert/strict';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, test } from '@jest/globals';
import type { EventRecord } from '../../domain/event';
import { createEvent, holdSeats } from '../support/factories';
import { api, request, type JsonResponse } from '../support/http';
import { useTestStack } from '../support/stack';
import { assertClientError, assertError } from './assertions';

const stack = useTestStack();
let event: EventRecord;
let bookingId: string;
beforeAll(async () => {
  event = await createEvent(stack.baseUrl, { totalSeats: 10, priceCents: 0 });
  const paid = await createEvent(stack.baseUrl, { totalSeats: 10, priceCents: 100 });
  bookingId = (await holdSeats(stack.baseUrl, paid.id, [1])).id;
});

/** Every endpoint that reads a JSON body. */
const jsonEndpoints = () => [
  '/events',
  '/bookings',
  `/events/${event.id}/book`,
  `/bookings/${bookingId}/confirm`,
  `/bookings/${bookingId}/cancel`,
];

/** Sends a body in chunks with no Content-Length, so the size is only known while reading it. */
function postChunked(path: string, chunk: string, times: number): Promise<JsonResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${stack.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      // A connection of its own: the server answers before reading the whole body, so a reused one
      // would carry the unread rest into the next request.
      agent: false,
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    // The server may answer and close before it has read everything we send.
    req.on('error', reject);
    let sent = 0;
    const pump = () => {
      while (sent < times) {
        sent++;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      req.end();
    };
    pump();
  });
}

describe('malformed JSON', () => {
  for (const raw of ['{"name": "x", "totalSeats": ', '{name: "x"}', "{'a': 1}", 'undefined', '{"a":1}}']) {
    test(`returns 400 INVALID_JSON for ${JSON.stringify(raw)} on every JSON endpoint`, async () => {
      for (const path of jsonEndpoints()) {
        assertError(await api(stack.baseUrl).post(path, raw), 400, 'INVALID_JSON');
      }
    });
  }
});

describe('wrong types', () => {
  for (const body of ['null', '[]', '[{"name":"x","totalSeats":1}]', '"a string"', '42', 'true']) {
    test(`returns 400 VALIDATION_FAILED for the JSON value ${body} on every JSON endpoint but cancel`, async () => {
      for (const path of jsonEndpoints().filter((p) => !p.endsWith('/cancel'))) {
        assertError(await api(stack.baseUrl).post(path, body), 400, 'VALIDATION_FAILED');
      }
    });
  }

  test('returns 400 VALIDATION_FAILED for mistyped fields', async () => {
    const cases: [string, unknown][] = [
      ['/events', { name: ['x'], totalSeats: 10 }],
      ['/events', { name: 'x', totalSeats: { n: 10 } }],
      ['/events', { name: 'x', totalSeats: 10, priceCents: '100' }],
      ['/events', { name: 'x', totalSeats: 10, holdSeconds: true }],
      ['/events', { name: 'x', totalSeats: 1e9 }],
      ['/bookings', { eventId: event.id, userId: 7, seatNumbers: [1] }],
      ['/bookings', { eventId: event.id, userId: 'u', seatNumbers: [null] }],
      ['/bookings', { eventId: event.id, userId: 'u', seatNumbers: { 0: 1 } }],
      ['/bookings', { eventId: [event.id], userId: 'u', seatNumbers: [1] }],
      [`/events/${event.id}/book`, { userId: null, seatNumber: 1 }],
      [`/events/${event.id}/book`, { userId: 'u', seatNumber: [1] }],
      [`/bookings/${bookingId}/confirm`, { paymentToken: ['tok'] }],
    ];
    for (const [path, body] of cases) {
      const res = await api(stack.baseUrl).post(path, body);
      assertError(res, 400, 'VALIDATION_FAILED');
    }
  });

  test('answers 4xx, never 5xx, for huge seat numbers', async () => {
    for (const seat of [2 ** 31, Number.MAX_SAFE_INTEGER, 1e300]) {
      assertClientError(
        await api(stack.baseUrl).post('/bookings', { eventId: event.id, userId: 'u', seatNumbers: [seat] }),
        `seatNumbers [${seat}]`,
      );
      assertClientError(
        await api(stack.baseUrl).post(`/events/${event.id}/book`, { userId: 'u', seatNumber: seat }),
        `seatNumber ${seat}`,
      );
    }
  });

  test('returns 400 VALIDATION_FAILED for strings PostgreSQL cannot store (NUL characters)', async () => {
    const nul = 'a\u0000b';
    const cases: [string, unknown][] = [
      ['/events', { name: nul, totalSeats: 1 }],
      ['/bookings', { eventId: event.id, userId: nul, seatNumbers: [2] }],
      [`/events/${event.id}/book`, { userId: nul, seatNumber: 2 }],
      [`/bookings/${bookingId}/confirm`, { paymentToken: nul }],
    ];
    for (const [path, body] of cases) {
      assertError(await api(stack.baseUrl).post(path, body), 400, 'VALIDATION_FAILED');
    }
    const seats = (await api(stack.baseUrl).get<{ seatNumber: number; status: string }[]>(`/events/${event.id}/seats`)).body;
    assert.equal(seats.find((s) => s.seatNumber === 2)?.status, 'AVAILABLE');
    const booking = (await api(stack.baseUrl).get<{ status: string }>(`/bookings/${bookingId}`)).body;
    assert.equal(booking.status, 'HELD');
  });
});

describe('oversized bodies', () => {
  const limit = 16 * 1024;

  test('returns 413 PAYLOAD_TOO_LARGE for a body over 16 KiB on every JSON endpoint but POST /events', async () => {
    const body = JSON.stringify({ name: 'x'.repeat(limit + 1), totalSeats: 1 });
    // POST /events has LAYOUT_BODY_LIMIT_BYTES (1 MiB) for venue layouts: tests/venues/layout.test.ts.
    for (const path of jsonEndpoints().filter((p) => p !== '/events')) {
      assertError(await api(stack.baseUrl).post(path, body), 413, 'PAYLOAD_TOO_LARGE');
    }
  });

  test('returns 413 PAYLOAD_TOO_LARGE for an oversized body sent without Content-Length', async () => {
    assertError(await postChunked('/bookings', ' '.repeat(1024), 64), 413, 'PAYLOAD_TOO_LARGE');
    // POST /events reads up to LAYOUT_BODY_LIMIT_BYTES (1 MiB by default) before it refuses.
    assertError(await postChunked('/events', ' '.repeat(1024), 1025), 413, 'PAYLOAD_TOO_LARGE');
  });

  test('reads a body just under the limit (and validates it) instead of refusing it', async () => {
    const padding = ' '.repeat(limit - 100);
    const res = await api(stack.baseUrl).post('/events', `{"name":"Padded","totalSeats":3}${padding}`);
    assert.equal(res.status, 201, JSON.stringify(res.body));
  });

  test('returns 413 PAYLOAD_TOO_LARGE for a webhook body far over its limit', async () => {
    const body = JSON.stringify({ id: 'evt_big', pad: 'x'.repeat(limit * 4 + 1) });
    const res = await api(stack.baseUrl).post('/webhooks/payments', body, {
      'content-type': 'application/json',
      'stripe-signature': 't=1,v1=00',
    });
    assertError(res, 413, 'PAYLOAD_TOO_LARGE');
  });
});

describe('content types', () => {
  for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
    test(`returns 415 UNSUPPORTED_MEDIA_TYPE for ${contentType} on every JSON endpoint`, async () => {
      for (const path of jsonEndpoints()) {
        const res = await api(stack.baseUrl).post(path, 'name=x&totalSeats=1', { 'content-type': contentType });
        assertError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
      }
    });
  }

  test('accepts application/json with a charset and +json media types', async () => {
    for (const contentType of ['application/json; charset=utf-8', 'application/vnd.seatflow+json']) {
      const res = await api(stack.baseUrl).post(
        '/events',
        { name: `Typed ${randomUUID().slice(0, 6)}`, totalSeats: 1 },
        { 'content-type': contentType },
      );
      assert.equal(res.status, 201, `${contentType}: ${JSON.stringify(res.body)}`);
    }
  });
});

describe('unknown routes and methods', () => {
  for (const path of ['/nope', '/events/x/y/z', '/webhooks/refunds', '/index.htm']) {
    test(`returns 404 NOT_FOUND as JSON for GET ${path}`, async () => {
      assertError(await api(stack.baseUrl).get(path), 404, 'NOT_FOUND');
    });
  }

  test('returns 404 NOT_FOUND as JSON for POST to an unknown route', async () => {
    assertError(await api(stack.baseUrl).post('/tickets', { a: 1 }), 404, 'NOT_FOUND');
  });

  const wrongMethods: [string, string][] = [
    ['PUT', '/events'],
    ['DELETE', '/events'],
    ['PUT', `/events/${randomUUID()}`],
    ['DELETE', `/bookings/${randomUUID()}`],
    ['PUT', '/bookings'],
    ['GET', '/bookings'],
    ['GET', `/bookings/${randomUUID()}/confirm`],
    ['GET', `/events/${randomUUID()}/book`],
    ['GET', '/webhooks/payments'],
  ];
  for (const [method, path] of wrongMethods) {
    test(`returns 405 METHOD_NOT_ALLOWED as JSON for ${method} ${path.replace(/[0-9a-f-]{36}/, ':id')}`, async () => {
      assertError(await request(stack.baseUrl, method, path), 405, 'METHOD_NOT_ALLOWED');
    });
  }

  test('returns 405 METHOD_NOT_ALLOWED, never a 5xx, for a method no route knows', async () => {
    assertError(await request(stack.baseUrl, 'PROPFIND', '/events'), 405, 'METHOD_NOT_ALLOWED');
    assertError(await request(stack.baseUrl, 'PROPFIND', `/bookings/${bookingId}`), 405, 'METHOD_NOT_ALLOWED');
    assertClientError(await request(stack.baseUrl, 'PROPFIND', '/nope'), 'PROPFIND /nope');
  });
});
