import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import { useTestStack } from '../support/stack';
import { assertRateLimited, limits, policies, rateLimitEnv, send } from './limitedClient';

// Counted, and cheap: a new buyer each time (so only the address limit is in play), an unknown event (404).
const hold = () => ({ eventId: randomUUID(), userId: `buyer-${randomUUID().slice(0, 8)}`, seatNumbers: [1] });
const from = (forwardedFor: string) => ({ 'X-Forwarded-For': forwardedFor });

describe('client address without trusted proxies (the default)', () => {
  const stack = useTestStack({ worker: false, env: rateLimitEnv({ perAddress: 3 }) });

  test('a forged X-Forwarded-For is ignored: every request counts against the socket’s address', async () => {
    for (const forged of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
      const res = await send(stack.baseUrl, '/bookings', hold(), from(forged));
      assert.equal(res.status, 404);
      // Only the address limit is on, so only it is advertised.
      assert.deepEqual([...policies(res.headers).keys()], ['per-address']);
    }
    assertRateLimited(await send(stack.baseUrl, '/bookings', hold(), from('198.51.100.4')), 'per-address');
  });
});

describe('client address behind a trusted proxy', () => {
  // The test client connects from 127.0.0.1: here that is the load balancer.
  const stack = useTestStack({ worker: false, env: rateLimitEnv({ perAddress: 3, trustedProxies: ['127.0.0.1'] }) });

  test('X-Forwarded-For from the trusted proxy is honoured: each client address has its own budget', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await send(stack.baseUrl, '/bookings', hold(), from('203.0.113.7'))).status, 404);
    assertRateLimited(await send(stack.baseUrl, '/bookings', hold(), from('203.0.113.7')), 'per-address');

    const neighbour = await send(stack.baseUrl, '/bookings', hold(), from('203.0.113.8'));
    assert.equal(neighbour.status, 404);
    assert.equal(limits(neighbour.headers).get('per-address')?.r, 2);
  });

  test('an address the client prepends itself is skipped: the proxy’s entry (the rightmost) is the one counted', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await send(stack.baseUrl, '/bookings', hold(), from(`198.51.100.${i + 10}, 203.0.113.20`));
      assert.equal(res.status, 404);
    }
    assertRateLimited(await send(stack.baseUrl, '/bookings', hold(), from('198.51.100.99, 203.0.113.20')), 'per-address');
  });

  test('IPv6 clients are counted by their /64', async () => {
    for (let i = 1; i <= 3; i++) {
      assert.equal((await send(stack.baseUrl, '/bookings', hold(), from(`2001:db8:aa:bb::${i}`))).status, 404);
    }
    assertRateLimited(await send(stack.baseUrl, '/bookings', hold(), from('2001:db8:aa:bb:ffff::9')), 'per-address');
    assert.equal((await send(stack.baseUrl, '/bookings', hold(), from('2001:db8:aa:bc::1'))).status, 404);
  });
});
