import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import { io } from 'socket.io-client';
import type { QueuePlaceView } from '../../domain/waitingRoom';
import { QueueEvents } from '../../domain/waitingRoomMessages';
import { assertError } from '../api/assertions';
import { eventually } from '../support/factories';
import { request } from '../support/http';
import { useTestStack } from '../support/stack';
import { eventWithRoom, fastAdmission, joined, newUser } from './roomClient';

const stack = useTestStack({ env: fastAdmission() });

/** Reads `event: queue_place` frames from the SSE stream until `done` says stop (or the time is up). */
async function readStream(url: string, done: (places: QueuePlaceView[]) => boolean, timeoutMs = 30_000): Promise<QueuePlaceView[]> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const places: QueuePlaceView[] = [];
  try {
    const res = await fetch(url, { signal: abort.signal });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = /^data: (.*)$/m.exec(frame);
        if (/^event: queue_place$/m.test(frame) && data) places.push(JSON.parse(data[1]) as QueuePlaceView);
      }
      if (done(places)) break;
    }
  } catch (err) {
    if (!abort.signal.aborted) throw err;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  return places;
}

describe('the place pushed to the client that joined', () => {
  test('over SSE: the position counts down, then ADMITTED with its token', async () => {
    // 12 a (15 s) minute: about one buyer every 1.25 s.
    const event = await eventWithRoom(stack.baseUrl, { admitPerMinute: 12 }, { totalSeats: 10 });
    for (let i = 0; i < 2; i++) await joined(stack.baseUrl, event.id, newUser());
    const mine = await joined(stack.baseUrl, event.id, newUser());
    assert.equal(mine.position, 3);
    const places = await readStream(`${stack.baseUrl}/events/${event.id}/queue/${mine.queueId}/stream`, (seen) =>
      seen.some((p) => p.status === 'ADMITTED'),
    );
    const positions = places.filter((p) => p.status === 'WAITING').map((p) => p.position);
    assert.ok(positions.length >= 2, `several positions pushed: ${JSON.stringify(positions)}`);
    assert.deepEqual([...positions].sort((a, b) => (b ?? 0) - (a ?? 0)), positions, 'positions only go down');
    const last = places[places.length - 1];
    assert.equal(last.status, 'ADMITTED');
    assert.ok(last.admissionToken);
  });

  test('over Socket.IO: the place now, then the admission', async () => {
    const event = await eventWithRoom(stack.baseUrl, { admitPerMinute: 12 }, { totalSeats: 10 });
    await joined(stack.baseUrl, event.id, newUser());
    const mine = await joined(stack.baseUrl, event.id, newUser());
    const socket = io(stack.baseUrl, { transports: ['websocket'] });
    const pushed: QueuePlaceView[] = [];
    const refusals: { code: string }[] = [];
    socket.on(QueueEvents.place, (place: QueuePlaceView) => pushed.push(place));
    socket.on(QueueEvents.error, (err: { code: string }) => refusals.push(err));
    try {
      socket.emit(QueueEvents.subscribe, { eventId: event.id, queueId: mine.queueId });
      await eventually(async () => (pushed.some((p) => p.status === 'ADMITTED') ? true : undefined), 30_000, 'ADMITTED pushed');
      assert.equal(pushed[0].queueId, mine.queueId);
      assert.equal(pushed[0].status, 'WAITING');
      socket.emit(QueueEvents.subscribe, { eventId: event.id, queueId: randomUUID() });
      socket.emit(QueueEvents.subscribe, { eventId: 'nope' });
      await eventually(async () => (refusals.length >= 2 ? true : undefined), 5_000, 'the refusals');
      assert.deepEqual(refusals.map((r) => r.code).sort(), ['QUEUE_PLACE_NOT_FOUND', 'VALIDATION_FAILED']);
    } finally {
      socket.close();
    }
  });

  test('the SSE stream of an unknown place answers 404 QUEUE_PLACE_NOT_FOUND', async () => {
    const event = await eventWithRoom(stack.baseUrl);
    assertError(await request(stack.baseUrl, 'GET', `/events/${event.id}/queue/${randomUUID()}/stream`), 404, 'QUEUE_PLACE_NOT_FOUND');
  });
});
