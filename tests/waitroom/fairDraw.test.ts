import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import { commitmentOf, drawKey, drawOrder, drawScore, newSeed } from '../../queues/fairDraw';

const ids = (n: number) => Array.from({ length: n }, () => randomUUID());

describe('the fair draw (pure)', () => {
  test('orders the same ids the same way whatever order they are given in', () => {
    const seed = newSeed();
    const queue = ids(50);
    const order = drawOrder(seed, queue);
    assert.deepEqual(drawOrder(seed, [...queue].reverse()), order);
    assert.deepEqual(drawOrder(seed, [...queue].sort()), order);
    assert.deepEqual([...order].sort(), [...queue].sort(), 'a permutation: every id once');
  });

  test('gives another order for another seed, and not the arrival order', () => {
    const queue = ids(50);
    const a = drawOrder(newSeed(), queue);
    const b = drawOrder(newSeed(), queue);
    assert.notDeepEqual(a, b);
    assert.notDeepEqual(a, queue);
  });

  test('is what the documented recipe computes: sort by the first 12 hex digits of sha256(seed:queueId)', () => {
    const seed = newSeed();
    const queue = ids(20);
    const recipe = [...queue].sort((x, y) => {
      const kx = createHash('sha256').update(`${seed}:${x}`).digest('hex').slice(0, 12);
      const ky = createHash('sha256').update(`${seed}:${y}`).digest('hex').slice(0, 12);
      return kx < ky ? -1 : kx > ky ? 1 : x < y ? -1 : 1;
    });
    assert.deepEqual(drawOrder(seed, queue), recipe);
    assert.equal(commitmentOf(seed), createHash('sha256').update(seed).digest('hex'));
  });

  test('scores the pre-queue below every arrival (which count from 1) and in draw order', () => {
    const seed = newSeed();
    const queue = ids(30);
    const scores = queue.map((id) => drawScore(seed, id));
    assert.ok(scores.every((s) => s < 0 && Number.isSafeInteger(s)));
    const byScore = [...queue].sort((x, y) => drawScore(seed, x) - drawScore(seed, y) || (x < y ? -1 : 1));
    assert.deepEqual(byScore, drawOrder(seed, queue));
    assert.equal(drawKey(seed, queue[0]).length, 64);
  });
});
