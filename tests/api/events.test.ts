import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import type { EventRecord, SeatView } from '../../domain/event';
import { createEvent } from '../support/factories';
import { api } from '../support/http';
import { useTestStack } from '../support/stack';
import { assertError } from './assertions';

interface EventPage {
  events: EventRecord[];
  page: number;
  pageSize: number;
  total: number;
}

const stack = useTestStack();

const http = () => api(stack.baseUrl);
const uniqueName = (label: string) => `${label} ${randomUUID().slice(0, 8)}`;

describe('POST /events', () => {
  test('returns 201 with the event, every seat available and the documented defaults', async () => {
    const name = uniqueName('Tech Summit');
    const res = await http().post<EventRecord>('/events', { name, totalSeats: 50 });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const event = res.body;
    assert.match(event.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(event.name, name);
    assert.equal(event.totalSeats, 50);
    assert.equal(event.availableSeats, 50);
    assert.equal(event.priceCents, 0);
    assert.equal(event.holdSeconds, 300);
    assert.equal(event.maxSeatsPerBooking, 10);
    assert.equal(event.startsAt, null);
    assert.ok(!Number.isNaN(Date.parse(event.createdAt)), `createdAt ${event.createdAt}`);
    assert.ok(!Number.isNaN(Date.parse(event.updatedAt)), `updatedAt ${event.updatedAt}`);
  });

  test('keeps the optional settings it is given', async () => {
    const startsAt = '2030-05-01T18:30:00.000Z';
    const res = await http().post<EventRecord>('/events', {
      name: uniqueName('Paid'),
      totalSeats: 7,
      priceCents: 4200,
      holdSeconds: 90,
      startsAt,
      maxSeatsPerBooking: 3,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.priceCents, 4200);
    assert.equal(res.body.holdSeconds, 90);
    assert.equal(res.body.maxSeatsPerBooking, 3);
    assert.equal(res.body.startsAt, startsAt);
  });

  const invalidBodies: [string, Record<string, unknown>][] = [
    ['totalSeats is 0', { name: 'x', totalSeats: 0 }],
    ['totalSeats is negative', { name: 'x', totalSeats: -5 }],
    ['totalSeats is not an integer', { name: 'x', totalSeats: 2.5 }],
    ['totalSeats is a string', { name: 'x', totalSeats: '10' }],
    ['totalSeats is missing', { name: 'x' }],
    ['name is missing', { totalSeats: 10 }],
    ['name is blank', { name: '   ', totalSeats: 10 }],
    ['name is not a string', { name: 42, totalSeats: 10 }],
    ['an unknown field is sent', { name: 'x', totalSeats: 10, color: 'red' }],
    ['priceCents is negative', { name: 'x', totalSeats: 10, priceCents: -1 }],
    ['holdSeconds is 0', { name: 'x', totalSeats: 10, holdSeconds: 0 }],
    ['maxSeatsPerBooking is 0', { name: 'x', totalSeats: 10, maxSeatsPerBooking: 0 }],
    ['startsAt is not a date-time', { name: 'x', totalSeats: 10, startsAt: 'next tuesday' }],
  ];
  for (const [why, body] of invalidBodies) {
    test(`returns 400 VALIDATION_FAILED when ${why}`, async () => {
      const before = (await http().get<EventPage>('/events?pageSize=1')).body.total;
      assertError(await http().post('/events', body), 400, 'VALIDATION_FAILED');
      const after = (await http().get<EventPage>('/events?pageSize=1')).body.total;
      assert.equal(after, before, 'a rejected request created an event');
    });
  }

  test('names the offending field in the validation details', async () => {
    const err = assertError(await http().post('/events', { name: 'x', totalSeats: 0 }), 400, 'VALIDATION_FAILED');
    assert.ok(
      err.details?.issues?.some((i) => i.path === 'totalSeats'),
      `no issue for totalSeats: ${JSON.stringify(err)}`,
    );
  });
});

describe('GET /events', () => {
  test('pages the events with page, pageSize and the total count', async () => {
    for (let i = 0; i < 3; i++) await createEvent(stack.baseUrl);
    const first = await http().get<EventPage>('/events?page=1&pageSize=2');
    assert.equal(first.status, 200);
    assert.equal(first.body.page, 1);
    assert.equal(first.body.pageSize, 2);
    assert.equal(first.body.events.length, 2);
    assert.ok(first.body.total >= 3, `total ${first.body.total}`);

    const second = await http().get<EventPage>('/events?page=2&pageSize=2');
    assert.equal(second.status, 200);
    assert.equal(second.body.total, first.body.total);
    const firstIds = new Set(first.body.events.map((e) => e.id));
    assert.ok(second.body.events.length >= 1);
    assert.ok(second.body.events.every((e) => !firstIds.has(e.id)), 'page 2 repeats an event from page 1');

    const { count } = (await stack.pool.query<{ count: number }>('SELECT count(*) FROM events')).rows[0];
    assert.equal(first.body.total, count);
  });

  test('defaults to page 1 with 20 events per page', async () => {
    const res = await http().get<EventPage>('/events');
    assert.equal(res.status, 200);
    assert.equal(res.body.page, 1);
    assert.equal(res.body.pageSize, 20);
    assert.ok(res.body.events.length <= 20);
  });

  test('lists the newest event first', async () => {
    const created = await createEvent(stack.baseUrl);
    const res = await http().get<EventPage>('/events?pageSize=1');
    assert.equal(res.body.events[0]?.id, created.id);
  });

  for (const query of ['page=0', 'page=-1', 'page=abc', 'pageSize=0', 'pageSize=101', 'pageSize=1.5']) {
    test(`returns 400 VALIDATION_FAILED for ?${query}`, async () => {
      assertError(await http().get(`/events?${query}`), 400, 'VALIDATION_FAILED');
    });
  }
});

describe('GET /events/:id', () => {
  test('returns the event with its current availableSeats', async () => {
    const created = await createEvent(stack.baseUrl, { totalSeats: 5, priceCents: 0 });
    const booked = await http().post(`/events/${created.id}/book`, { userId: 'u-1', seatNumber: 2 });
    assert.equal(booked.status, 201, JSON.stringify(booked.body));
    const res = await http().get<EventRecord>(`/events/${created.id}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.id, created.id);
    assert.equal(res.body.name, created.name);
    assert.equal(res.body.totalSeats, 5);
    assert.equal(res.body.availableSeats, 4);
  });

  test('returns 404 EVENT_NOT_FOUND for an unknown uuid', async () => {
    assertError(await http().get(`/events/${randomUUID()}`), 404, 'EVENT_NOT_FOUND');
  });

  test('returns 404 EVENT_NOT_FOUND for an id that is not a uuid', async () => {
    assertError(await http().get('/events/not-a-uuid'), 404, 'EVENT_NOT_FOUND');
  });
});

describe('GET /events/:id/seats', () => {
  test('returns every seat numbered 1..N, all available for a new event', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 12 });
    const res = await http().get<SeatView[]>(`/events/${event.id}/seats`);
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.map((s) => s.seatNumber),
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
    assert.ok(res.body.every((s) => s.booked === false && s.status === 'AVAILABLE'));
    assert.deepEqual(Object.keys(res.body[0]).sort(), ['booked', 'seatNumber', 'status']);
  });

  test('shows held seats as booked with status HELD', async () => {
    const event = await createEvent(stack.baseUrl, { totalSeats: 4 });
    const hold = await http().post('/bookings', { eventId: event.id, userId: 'u-seats', seatNumbers: [3] });
    assert.equal(hold.status, 201, JSON.stringify(hold.body));
    const seats = (await http().get<SeatView[]>(`/events/${event.id}/seats`)).body;
    assert.deepEqual(seats[2], { seatNumber: 3, booked: true, status: 'HELD' });
    assert.ok(seats.filter((s) => s.seatNumber !== 3).every((s) => s.status === 'AVAILABLE' && !s.booked));
  });

  test('returns 404 EVENT_NOT_FOUND for an unknown event', async () => {
    assertError(await http().get(`/events/${randomUUID()}/seats`), 404, 'EVENT_NOT_FOUND');
    assertError(await http().get('/events/12345/seats'), 404, 'EVENT_NOT_FOUND');
  });
});
