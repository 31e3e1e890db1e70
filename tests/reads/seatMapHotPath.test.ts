import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, test } from '@jest/globals';
import { seatMapHotPath } from '../../api/hotPath/seatMapHotPath';
import { securityHeaderValues } from '../../api/middlewares/securityHeaders';
import { SeatFeed } from '../../api/realtime/seatFeed';
import { SeatMapCache } from '../../api/realtime/seatMapCache';
import { decodeSeatMap } from '../../domain/seatBitmap';
import { createEvent, eventually, holdSeats } from '../support/factories';
import { useTestStack } from '../support/stack';
import { afterThisTest } from '../support/testHooks';
import { databaseVersion } from '../realtime/seatMapDb';

const stack = useTestStack();

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function request(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The hot path in front of a stand-in for Koa that records what reached it. */
async function hotPathServer(): Promise<{ url: string; cache: SeatMapCache; passedOn: string[] }> {
  const cache = new SeatMapCache(stack.pool, new SeatFeed(), { maxEvents: 10, verifyAfterMs: 60_000, log: () => undefined });
  afterThisTest(() => cache.close());
  const passedOn: string[] = [];
  const server = http.createServer(
    seatMapHotPath(cache, securityHeaderValues(), (req, res) => {
      passedOn.push(`${req.method} ${req.url}`);
      res.writeHead(418).end();
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  afterThisTest(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, cache, passedOn };
}

// Headers that differ between any two answers whatever the path.
const comparable = (headers: http.IncomingHttpHeaders) => {
  const { date, connection, 'keep-alive': keepAlive, ...rest } = headers;
  void date, connection, keepAlive;
  return rest;
};

describe('the seat-map hot path (before Koa)', () => {
  test('answers a loaded map itself and passes on a map not loaded yet, a token, an Origin, another method and a malformed id', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 12, holdSeconds: 600 });
    const { url, cache, passedOn } = await hotPathServer();
    const path = `/events/${event.id}/seat-map`;

    assert.equal((await request(url + path)).status, 418, 'not loaded yet: Koa loads it');
    await cache.get(event.id);
    const answer = await request(url + path);
    assert.equal(answer.status, 200);
    assert.deepEqual(decodeSeatMap(answer.body, 12), Array(12).fill('AVAILABLE'));
    assert.equal((await request(`${url}${path}?v=1`)).status, 200, 'a query string is the same map');

    for (const [what, headers, method] of [
      ['a bearer token', { authorization: 'Bearer x' }, 'GET'],
      ['an Origin', { origin: 'https://elsewhere.example' }, 'GET'],
      ['POST', {}, 'POST'],
    ] as const) {
      assert.equal((await request(url + path, headers, method)).status, 418, what);
    }
    assert.equal((await request(`${url}/events/not-a-uuid/seat-map`)).status, 418);
    assert.equal(passedOn.length, 5);
  });

  test('honours If-None-Match, HEAD and the Accept-Encoding q-values', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 400, holdSeconds: 600 });
    const { url, cache } = await hotPathServer();
    const view = await cache.get(event.id);
    assert.ok(view);
    const path = `${url}/events/${event.id}/seat-map`;

    const notModified = await request(path, { 'if-none-match': `"other", ${view.etag}` });
    assert.equal(notModified.status, 304);
    assert.equal(notModified.body.length, 0);
    assert.equal(notModified.headers.etag, view.etag);
    assert.equal(notModified.headers['seat-map-version'], '0');

    const head = await request(path, { 'accept-encoding': 'br' }, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    assert.equal(Number(head.headers['content-length']), view.body('br').length);

    const br = await request(path, { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.deepEqual(brotliDecompressSync(br.body), view.bytes);
    const gzip = await request(path, { 'accept-encoding': 'gzip, br;q=0' });
    assert.equal(gzip.headers['content-encoding'], 'gzip');
    assert.deepEqual(gunzipSync(gzip.body), view.bytes);
    const plain = await request(path, {});
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.deepEqual(plain.body, view.bytes);
    assert.equal(plain.headers['content-type'], 'application/octet-stream');
  });

  test('answers with the same status, headers and bytes as the Koa route, before and after a change', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 40, holdSeconds: 600 });
    const path = `${stack.baseUrl}/events/${event.id}/seat-map`;
    // An Origin (CORS is off in tests, so it changes nothing else) sends the request through Koa.
    const throughKoa = { origin: 'https://page.example' };
    const encodings = ['br, gzip', 'gzip', ''];

    await request(path);
    for (const round of ['before', 'after']) {
      if (round === 'after') {
        await holdSeats(stack.baseUrl, event.id, [3, 4]);
        const version = await databaseVersion(stack.pool, event.id);
        await eventually(async () => ((await request(path)).headers['seat-map-version'] === String(version) ? true : undefined));
      }
      for (const encoding of encodings) {
        const headers: Record<string, string> = encoding ? { 'accept-encoding': encoding } : {};
        const [hot, koa] = [await request(path, headers), await request(path, { ...headers, ...throughKoa })];
        assert.equal(hot.status, koa.status, `${round}, ${encoding || 'identity'}`);
        assert.deepEqual(hot.body, koa.body, `${round}, ${encoding || 'identity'}: the bytes`);
        assert.deepEqual(comparable(hot.headers), comparable(koa.headers), `${round}, ${encoding || 'identity'}: the headers`);
        const etag = hot.headers.etag!;
        const [hot304, koa304] = [await request(path, { 'if-none-match': etag }), await request(path, { 'if-none-match': etag, ...throughKoa })];
        assert.equal(hot304.status, 304);
        assert.deepEqual(comparable(hot304.headers), comparable(koa304.headers), `${round}: the 304's headers`);
      }
    }
  });
});
