import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from '@jest/globals';
import { drawOrder } from '../../queues/fairDraw';
import { eventually } from '../support/factories';
import { api } from '../support/http';
import { useTestStack } from '../support/stack';
import { assertError } from '../api/assertions';
import { eventWithRoom, joined, newUser, readPlace, redisQueues } from './roomClient';

const stack = useTestStack({ env: redisQueues() });

interface Fairness {
  commitment: string;
  seed: string | null;
  preQueue: string[] | null;
  algorithm: string;
}

describe('GET /events/:id/queue/fairness and the pre-queue', () => {
  test('publishes a commitment before the sale, then a seed that matches it and gives the pre-queue its order', async () => {
    const onSaleAt = new Date(Date.now() + 5_000).toISOString();
    // admitPerMinute 1: nobody is let in during the test, so positions are the draw's.
    const event = await eventWithRoom(stack.baseUrl, { admitPerMinute: 1 }, { onSaleAt });
    const before = await api(stack.baseUrl).get<Fairness>(`/events/${event.id}/queue/fairness`);
    assert.equal(before.status, 200, JSON.stringify(before.body));
    assert.match(before.body.commitment, /^[0-9a-f]{64}$/);
    assert.equal(before.body.seed, null);
    assert.equal(before.body.preQueue, null);

    const arrivals = [];
    for (let i = 0; i < 25; i++) arrivals.push((await joined(stack.baseUrl, event.id, newUser())).queueId);
    assert.ok(Date.now() < Date.parse(onSaleAt), 'everyone joined before the sale opened');

    const after = await eventually(async () => {
      const res = await api(stack.baseUrl).get<Fairness>(`/events/${event.id}/queue/fairness`);
      return res.body.seed ? res.body : undefined;
    }, 15_000, 'the seed to be revealed');
    assert.equal(after.commitment, before.body.commitment, 'the commitment does not change');
    assert.equal(createHash('sha256').update(after.seed as string).digest('hex'), before.body.commitment);

    const recomputed = drawOrder(after.seed as string, [...arrivals].sort());
    assert.deepEqual(after.preQueue, recomputed, 'the published order is the seed’s');
    assert.notDeepEqual(recomputed, arrivals, 'the draw is not the arrival order');
    for (const queueId of arrivals) {
      const place = await readPlace(stack.baseUrl, event.id, queueId);
      assert.equal(place.body.position, recomputed.indexOf(queueId) + 1, `position of ${queueId}`);
    }
    const late = await joined(stack.baseUrl, event.id, newUser());
    assert.equal(late.position, arrivals.length + 1, 'a later arrival queues behind the whole pre-queue');
  });

  test('returns 404 EVENT_NOT_FOUND for an unknown event', async () => {
    assertError(await api(stack.baseUrl).get('/events/00000000-0000-4000-8000-000000000000/queue/fairness'), 404, 'EVENT_NOT_FOUND');
  });
});
