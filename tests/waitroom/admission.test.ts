import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import { io } from 'socket.io-client';
import { createRedisQueueStore } from '../../queues/redisQueueStore';
import { admissionStatusQuery, admissionWorkflowId } from '../../domain/admission';
import type { QueuePlaceView } from '../../domain/waitingRoom';
import { QueueEvents } from '../../domain/waitingRoomMessages';
import { createClient } from 'redis';
import { eventually } from '../support/factories';
import { request } from '../support/http';
import { useTestStack } from '../support/stack';
import { book, eventWithRoom, fastAdmission, join, joined, newUser, placeWhen, readPlace, TEST_REDIS_URL } from './roomClient';

const stack = useTestStack({ env: fastAdmission() });

const admitted = (p: QueuePlaceView) => p.status === 'ADMITTED';

async function storeCounts(eventId: string): Promise<{ waiting: number; active: number }> {
  const redis = createClient({ url: TEST_REDIS_URL });
  await redis.connect();
  try {
    return await createRedisQueueStore(redis, stack.env.waitingRoomRedisPrefix, false).counts(eventId);
  } finally {
    redis.destroy();
  }
}

describe('the admission workflow', () => {
  test('admits within 10% of admitPerMinute over a simulated minute', async () => {
    const onSaleAt = new Date(Date.now() + 4_000).toISOString();
    // 300 a minute on a 15 s minute: 20 a second, over about 15 one-second ticks.
    const event = await eventWithRoom(stack.baseUrl, { admitPerMinute: 300 }, { totalSeats: 1000, onSaleAt });
    for (let batch = 0; batch < 10; batch++) {
      await Promise.all(Array.from({ length: 50 }, () => joined(stack.baseUrl, event.id, newUser())));
    }
    await eventually(async () => ((await storeCounts(event.id)).active > 0 ? true : undefined), 15_000, 'the first admissions');
    const start = { at: Date.now(), ...(await storeCounts(event.id)) };
    await new Promise((resolve) => setTimeout(resolve, stack.env.admissionMinuteMs));
    const end = { at: Date.now(), ...(await storeCounts(event.id)) };
    const expected = (300 * (end.at - start.at)) / stack.env.admissionMinuteMs;
    const admittedInWindow = end.active - start.active;
    assert.ok(
      Math.abs(admittedInWindow - expected) <= expected * 0.1,
      `admitted ${admittedInWindow} in ${end.at - start.at} ms of a ${stack.env.admissionMinuteMs} ms minute; expected ${expected.toFixed(0)} ± 10%`,
    );
  });

  test('never admits more buyers than seats left, pauses while all are held, and admits again when holds lapse', async () => {
    const event = await eventWithRoom(stack.baseUrl, { admitPerMinute: 6000 }, { totalSeats: 2, holdSeconds: 2, priceCents: 1000 });
    const users = [newUser(), newUser(), newUser(), newUser()];
    const places: QueuePlaceView[] = [];
    for (const userId of users) places.push(await joined(stack.baseUrl, event.id, userId));
    const first = await Promise.all(places.slice(0, 2).map((p) => placeWhen(stack.baseUrl, event.id, p.queueId, admitted)));
    // Two seats, two admitted and active: the others wait, whatever the rate.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    for (const p of places.slice(2)) assert.equal((await readPlace(stack.baseUrl, event.id, p.queueId)).body.status, 'WAITING');

    for (const [i, place] of first.entries()) {
      const res = await book(stack.baseUrl, event.id, place.userId, [i + 1], place.admissionToken ?? undefined);
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
    // Both seats held: still nobody else in.
    await new Promise((resolve) => setTimeout(resolve, 800));
    for (const p of places.slice(2)) assert.equal((await readPlace(stack.baseUrl, event.id, p.queueId)).body.status, 'WAITING');
    // The holds lapse (2 s): the seats come back and the next two are let in.
    await Promise.all(places.slice(2).map((p) => placeWhen(stack.baseUrl, event.id, p.queueId, admitted, 30_000, 'admission after the holds lapsed')));
  });

  test('marks everyone waiting SOLD_OUT once nothing is available nor held, announces it, and ends', async () => {
    const event = await eventWithRoom(stack.baseUrl, { admitPerMinute: 6000 }, { totalSeats: 1 });
    const buyer = await joined(stack.baseUrl, event.id, newUser());
    const waiting = await joined(stack.baseUrl, event.id, newUser());
    const socket = io(stack.baseUrl, { transports: ['websocket'] });
    const pushed: QueuePlaceView[] = [];
    socket.on(QueueEvents.place, (place: QueuePlaceView) => pushed.push(place));
    try {
      socket.emit(QueueEvents.subscribe, { eventId: event.id, queueId: waiting.queueId });
      await eventually(async () => (pushed.length > 0 ? true : undefined), 10_000, 'the first pushed place');
      const inside = await placeWhen(stack.baseUrl, event.id, buyer.queueId, admitted);
      const booked = await request(stack.baseUrl, 'POST', `/events/${event.id}/book`, { userId: inside.userId, seatNumber: 1 }, {
        'Admission-Token': inside.admissionToken ?? '',
      });
      assert.equal(booked.status, 201, JSON.stringify(booked.body));

      await eventually(async () => (pushed.some((p) => p.status === 'SOLD_OUT') ? true : undefined), 20_000, 'SOLD_OUT pushed');
      assert.equal((await readPlace(stack.baseUrl, event.id, waiting.queueId)).body.status, 'SOLD_OUT');
      const late = await join(stack.baseUrl, event.id, newUser());
      assert.equal(late.status, 201);
      assert.equal(late.body.status, 'SOLD_OUT');
      const handle = stack.temporal.workflow.getHandle(admissionWorkflowId(event.id));
      assert.equal(await handle.result(), 'SOLD_OUT');
      const described = await handle.describe();
      assert.deepEqual(described.searchAttributes.AdmissionStatus, ['SOLD_OUT']);
      assert.deepEqual(described.searchAttributes.EventId, [event.id]);
    } finally {
      socket.close();
    }
  });

  test('survives a worker restart: the same execution goes on admitting', async () => {
    const event = await eventWithRoom(stack.baseUrl, { admitPerMinute: 6000 }, { totalSeats: 10 });
    const first = await joined(stack.baseUrl, event.id, newUser());
    await placeWhen(stack.baseUrl, event.id, first.queueId, admitted);
    const handle = stack.temporal.workflow.getHandle(admissionWorkflowId(event.id));
    const before = await handle.describe();

    await stack.stopWorker();
    const second = await joined(stack.baseUrl, event.id, newUser());
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.equal((await readPlace(stack.baseUrl, event.id, second.queueId)).body.status, 'WAITING', 'nobody admits while the worker is down');
    await stack.startWorker();

    await placeWhen(stack.baseUrl, event.id, second.queueId, admitted, 30_000, 'admission after the restart');
    const after = await handle.describe();
    assert.equal(after.runId, before.runId);
    assert.equal(after.status.name, 'RUNNING');
    const status = await handle.query(admissionStatusQuery);
    assert.ok(status.admittedTotal >= 2, JSON.stringify(status));
  });
});
