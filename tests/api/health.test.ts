import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import { api } from '../support/http';
import { useTestStack } from '../support/stack';
import { assertError } from './assertions';

const stack = useTestStack();

describe('GET /health', () => {
  test('returns 200 {ok: true} when PostgreSQL and Temporal answer', async () => {
    const res = await api(stack.baseUrl).get('/health');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { ok: true, postgres: 'up', temporal: 'up' });
  });

  test('returns 405 METHOD_NOT_ALLOWED for POST', async () => {
    assertError(await api(stack.baseUrl).post('/health'), 405, 'METHOD_NOT_ALLOWED');
  });
});
