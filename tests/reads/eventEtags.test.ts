import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import { createEvent, holdSeats } from '../support/factories';
import { useTestStack } from '../support/stack';

const stack = useTestStack();

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${stack.baseUrl}${path}`, { headers });
  return { status: res.status, etag: res.headers.get('etag'), cacheControl: res.headers.get('cache-control'), text: await res.text() };
}

describe('ETags on GET /events/:id and GET /events', () => {
  test('GET /events/:id answers 304 while the event is unchanged and 200 with a new ETag once a seat is held', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 5, holdSeconds: 600 });
    const first = await get(`/events/${event.id}`);
    assert.equal(first.status, 200);
    assert.match(first.etag ?? '', /^W\/"[\w-]+"$/);
    assert.match(first.cacheControl ?? '', /\bpublic\b/);
    const same = await get(`/events/${event.id}`, { 'If-None-Match': first.etag ?? '' });
    assert.equal(same.status, 304);
    assert.equal(same.text, '');

    await holdSeats(stack.baseUrl, event.id, [1]);
    const changed = await get(`/events/${event.id}`, { 'If-None-Match': first.etag ?? '' });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.etag, first.etag);
    assert.equal((JSON.parse(changed.text) as { availableSeats: number }).availableSeats, 4);
  }, 60_000);

  test('GET /events answers 304 while the page is unchanged and 200 with a new ETag after an event is created or a seat held', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 3, holdSeconds: 600 });
    const first = await get('/events?pageSize=5');
    assert.equal(first.status, 200);
    assert.equal((await get('/events?pageSize=5', { 'If-None-Match': first.etag ?? '' })).status, 304);

    await holdSeats(stack.baseUrl, event.id, [2]);
    const afterHold = await get('/events?pageSize=5', { 'If-None-Match': first.etag ?? '' });
    assert.equal(afterHold.status, 200);
    assert.notEqual(afterHold.etag, first.etag);

    await createEvent(stack.baseUrl, { totalSeats: 3 });
    const afterCreate = await get('/events?pageSize=5', { 'If-None-Match': afterHold.etag ?? '' });
    assert.equal(afterCreate.status, 200);
    assert.notEqual(afterCreate.etag, afterHold.etag);
  }, 60_000);

  test('a 404 carries no ETag', async () => {
    const res = await get('/events/00000000-0000-4000-8000-000000000000');
    assert.equal(res.status, 404);
    assert.equal(res.etag, null);
  });
});

describe('If-None-Match as fetch() sends it', () => {
  test('GET /events/:id/seat-map answers 304 also when the request says Cache-Control: no-cache, and to *', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 5 });
    const first = await get(`/events/${event.id}/seat-map`);
    assert.equal(first.status, 200);
    for (const ifNoneMatch of [first.etag ?? '', `"other", ${first.etag}`, '*']) {
      const res = await get(`/events/${event.id}/seat-map`, { 'If-None-Match': ifNoneMatch, 'Cache-Control': 'no-cache' });
      assert.equal(res.status, 304, ifNoneMatch);
    }
    assert.equal((await get(`/events/${event.id}/seat-map`, { 'If-None-Match': '"other"' })).status, 200);
  });
});
