import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import type { SeatView } from '../../domain/event';
import { afterThisTest, diagnostic } from '../support/testHooks';
import { createEvent, eventually, holdSeats } from '../support/factories';
import { api } from '../support/http';
import { SeatMapClient } from '../support/seatMapClient';
import { getSeatMap, seatMapStatuses, type SeatMapResponse } from '../support/seatMapHttp';
import { useTestStack } from '../support/stack';
import { databaseVersion, lcg } from '../realtime/seatMapDb';
import { buyer, createVenueEvent, put, THEATRE } from '../venues/venueFixtures';

const stack = useTestStack();
const http = () => api(stack.baseUrl);

/** The seat map once it reflects the database's current version (it follows commits through LISTEN). */
async function currentSeatMap(eventId: string, headers: Record<string, string> = {}): Promise<SeatMapResponse> {
  const version = await databaseVersion(stack.pool, eventId);
  return eventually(
    async () => {
      const res = await getSeatMap(stack.baseUrl, eventId, headers);
      assert.equal(res.status, 200);
      return res.version === version ? res : undefined;
    },
    15_000,
    `the seat map of ${eventId} to reach version ${version}`,
  );
}

/** Asserts the compact map says, seat by seat, what GET /events/:id/seats says. */
async function assertMatchesSeatsJson(eventId: string, when: string): Promise<SeatMapResponse> {
  const map = await currentSeatMap(eventId);
  const json = await http().get<SeatView[]>(`/events/${eventId}/seats`);
  assert.equal(json.status, 200);
  assert.equal(map.totalSeats, json.body.length, when);
  assert.deepEqual(
    [...seatMapStatuses(map)],
    // Any status but the three sale statuses (BLOCKED) is "not for sale" in the compact map.
    json.body.map((s) => [s.seatNumber, ['AVAILABLE', 'HELD', 'BOOKED'].includes(s.status) ? s.status : 'NOT_FOR_SALE']),
    `${when}: the bitmap disagrees with GET /seats`,
  );
  return map;
}

async function bookingStatus(id: string): Promise<string> {
  return (await http().get<{ status: string }>(`/bookings/${id}`)).body.status;
}

describe('GET /events/:id/seat-map', () => {
  test('decodes to exactly what GET /events/:id/seats says before and after a hold, a confirm, a cancel and an expiry', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 30, holdSeconds: 600 });
    const start = await assertMatchesSeatsJson(event.id, 'before any booking');
    assert.equal(start.version, 0);
    assert.ok([...seatMapStatuses(start).values()].every((s) => s === 'AVAILABLE'));

    const first = await holdSeats(stack.baseUrl, event.id, [1, 2, 30]);
    let map = await assertMatchesSeatsJson(event.id, 'after a hold');
    assert.deepEqual([1, 2, 30].map((n) => seatMapStatuses(map).get(n)), ['HELD', 'HELD', 'HELD']);

    assert.equal((await http().post(`/bookings/${first.id}/confirm`, { paymentToken: 'tok_visa' })).status, 200);
    map = await assertMatchesSeatsJson(event.id, 'after a confirm');
    assert.deepEqual([1, 2, 30].map((n) => seatMapStatuses(map).get(n)), ['BOOKED', 'BOOKED', 'BOOKED']);

    const second = await holdSeats(stack.baseUrl, event.id, [5, 6]);
    await assertMatchesSeatsJson(event.id, 'after a second hold');
    assert.equal((await http().post(`/bookings/${second.id}/cancel`)).status, 200);
    map = await assertMatchesSeatsJson(event.id, 'after a cancel');
    assert.deepEqual([5, 6].map((n) => seatMapStatuses(map).get(n)), ['AVAILABLE', 'AVAILABLE']);

    const lapsing = await createEvent(stack.baseUrl, { totalSeats: 9, holdSeconds: 2 });
    await assertMatchesSeatsJson(lapsing.id, 'before a hold that lapses');
    const lapsed = await holdSeats(stack.baseUrl, lapsing.id, [4, 9]);
    map = await assertMatchesSeatsJson(lapsing.id, 'while the lapsing hold is held');
    assert.equal(seatMapStatuses(map).get(9), 'HELD');
    await eventually(async () => ((await bookingStatus(lapsed.id)) === 'EXPIRED' ? true : undefined), 30_000, 'the hold to expire');
    map = await assertMatchesSeatsJson(lapsing.id, 'after an expiry');
    assert.equal(map.version, 2, 'the hold and its release');
    assert.ok([...seatMapStatuses(map).values()].every((s) => s === 'AVAILABLE'));
  }, 120_000);

  test('covers general-admission places and blocked seats too: a venue event decodes to what GET /seats says', async () => {
    const event = await createVenueEvent(stack.baseUrl, THEATRE);
    const places = await http().post<{ id: string }>('/bookings', { eventId: event.id, userId: buyer(), area: 'Floor', quantity: 3 });
    assert.equal(places.status, 201, JSON.stringify(places.body));
    const blocked = await put(stack.baseUrl, `/events/${event.id}/blocked-seats`, { seatNumbers: [1] });
    assert.equal(blocked.status, 200, JSON.stringify(blocked.body));
    const map = await assertMatchesSeatsJson(event.id, 'after GA places are held');
    assert.ok(map.totalSeats > event.totalSeats, `GA places are numbered after the ${event.totalSeats} seats`);
    assert.equal([...seatMapStatuses(map).values()].filter((s) => s === 'HELD').length, 3);
    assert.equal(seatMapStatuses(map).get(1), 'NOT_FOR_SALE');
  }, 60_000);

  test('answers application/octet-stream with its version, seat count, an ETag and a CDN cache policy', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 10 });
    const res = await getSeatMap(stack.baseUrl, event.id);
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/octet-stream');
    assert.equal(res.headers['content-encoding'], undefined, 'not compressed when the client does not ask');
    assert.equal(res.wire.length, 3, '10 seats in 3 bytes');
    assert.equal(res.headers['seat-map-version'], '0');
    assert.equal(res.headers['seat-map-seats'], '10');
    assert.match(String(res.headers.etag), /^W\/"0-[\w-]+"$/);
    assert.match(String(res.headers['cache-control']), /\bpublic\b/);
    assert.match(String(res.headers['cache-control']), /\bs-maxage=\d+/);
    assert.match(String(res.headers.vary), /Accept-Encoding/i);
  });

  test('Seat-Map-Version and the seats agree with the live Socket.IO stream', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 40, holdSeconds: 600 });
    const client = await SeatMapClient.connect(stack.baseUrl);
    afterThisTest(() => client.close());
    client.subscribe(event.id);
    await client.waitFor(() => client.snapshots(event.id)[0], 'the snapshot');
    for (const seats of [[1], [2, 3], [10, 11, 12]]) await holdSeats(stack.baseUrl, event.id, seats);
    const booking = await holdSeats(stack.baseUrl, event.id, [20]);
    await http().post(`/bookings/${booking.id}/cancel`);
    const version = await databaseVersion(stack.pool, event.id);
    assert.equal(version, 5);
    await client.waitForVersion(event.id, version);
    const map = await currentSeatMap(event.id);
    assert.equal(map.version, client.map(event.id).version);
    assert.deepEqual([...seatMapStatuses(map)], [...client.seats(event.id)].sort(([a], [b]) => a - b));
  }, 60_000);

  test('answers 304 to If-None-Match while unchanged, and 200 with a new ETag after a change', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 12, holdSeconds: 600 });
    const first = await getSeatMap(stack.baseUrl, event.id);
    const etag = String(first.headers.etag);
    const again = await getSeatMap(stack.baseUrl, event.id, { 'If-None-Match': etag });
    assert.equal(again.status, 304);
    assert.equal(again.wire.length, 0);
    assert.equal(again.headers.etag, etag);
    assert.equal(again.headers['seat-map-version'], '0');

    await holdSeats(stack.baseUrl, event.id, [3]);
    const changed = await eventually(
      async () => {
        const res = await getSeatMap(stack.baseUrl, event.id, { 'If-None-Match': etag });
        return res.status === 304 ? undefined : res;
      },
      15_000,
      'a 200 after the hold',
    );
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.etag, etag);
    assert.equal(changed.version, 1);
    assert.equal(seatMapStatuses(changed).get(3), 'HELD');
    const fresh = await getSeatMap(stack.baseUrl, event.id, { 'If-None-Match': String(changed.headers.etag) });
    assert.equal(fresh.status, 304);
  }, 60_000);

  test('compresses with br or gzip when accepted; a 100,000-seat map stays within 25 KB on the wire', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 100_000, holdSeconds: 600, maxSeatsPerBooking: 100 });
    const empty = await getSeatMap(stack.baseUrl, event.id);
    assert.equal(empty.wire.length, 25_000, '2 bits a seat, uncompressed');
    for (const encoding of ['br', 'gzip']) {
      const res = await getSeatMap(stack.baseUrl, event.id, { 'Accept-Encoding': encoding });
      assert.equal(res.headers['content-encoding'], encoding);
      assert.equal(res.bitmap.length, 25_000);
      diagnostic(`100,000 available seats, ${encoding}: ${res.wire.length} bytes`);
      assert.ok(res.wire.length < 1_000, `an all-available map compresses to ${res.wire.length} bytes`);
    }
    // A busy map: 4,000 seats at random held by 40 bookings of 100.
    const random = lcg(11_2026);
    const chosen = new Set<number>();
    while (chosen.size < 4_000) chosen.add(1 + Math.floor(random() * 100_000));
    const all = [...chosen];
    const blocks = Array.from({ length: 40 }, (_, i) => all.slice(i * 100, i * 100 + 100));
    await Promise.all(blocks.map((seats) => holdSeats(stack.baseUrl, event.id, seats)));
    const busy = await currentSeatMap(event.id, { 'Accept-Encoding': 'br, gzip' });
    assert.equal(busy.version, 40);
    assert.ok(['br', 'gzip'].includes(String(busy.headers['content-encoding'])));
    diagnostic(`100,000 seats with 4,000 held, ${busy.headers['content-encoding']}: ${busy.wire.length} bytes`);
    assert.ok(busy.wire.length <= 25_000, `${busy.wire.length} bytes`);
    assert.equal([...seatMapStatuses(busy).values()].filter((s) => s === 'HELD').length, 4_000);
  }, 120_000);

  test('answers 404 EVENT_NOT_FOUND for an unknown event or a malformed id', async () => {
    for (const id of [randomUUID(), 'not-a-uuid']) {
      const res = await http().get<{ error: boolean; code: string }>(`/events/${id}/seat-map`);
      assert.equal(res.status, 404);
      assert.equal(res.body.code, 'EVENT_NOT_FOUND');
    }
  });
});
