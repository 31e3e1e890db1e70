import assert from 'node:assert/strict';
import { afterEach, describe, test } from '@jest/globals';
import { parseList } from 'structured-headers';
import { readEnv } from '../../config/env';
import { addressKey } from '../../api/rateLimits/clientAddress';
import { rateLimitHeader, rateLimitPolicyHeader, retryAfterSeconds } from '../../api/rateLimits/headers';
import { policyLimits } from '../../api/rateLimits/policies';

describe('rate-limit header fields', () => {
  test('RateLimit-Policy and RateLimit are Structured Field lists of named policies with integer parameters', () => {
    const policy = rateLimitPolicyHeader([
      { scope: 'per-user', quota: 30, windowSeconds: 60 },
      { scope: 'per-address', quota: 6000, windowSeconds: 60 },
    ]);
    assert.equal(policy, '"per-user";q=30;w=60, "per-address";q=6000;w=60');
    assert.deepEqual(
      parseList(policy).map(([name, params]) => [name, Object.fromEntries(params)]),
      [['per-user', { q: 30, w: 60 }], ['per-address', { q: 6000, w: 60 }]],
    );
    const limit = rateLimitHeader([{ scope: 'per-user', remaining: 12, msBeforeNext: 39_200 }]);
    assert.equal(limit, '"per-user";r=12;t=40');
  });

  test('Retry-After rounds the window up to whole seconds and is never 0', () => {
    assert.equal(retryAfterSeconds(0), 1);
    assert.equal(retryAfterSeconds(1), 1);
    assert.equal(retryAfterSeconds(1000), 1);
    assert.equal(retryAfterSeconds(1001), 2);
    assert.equal(retryAfterSeconds(59_999), 60);
  });
});

describe('client address keys', () => {
  test('IPv4 is counted as is, also when IPv4-mapped', () => {
    assert.equal(addressKey('203.0.113.7'), '203.0.113.7');
    assert.equal(addressKey('::ffff:203.0.113.7'), '203.0.113.7');
  });

  test('IPv6 is counted by its /64, so one host cannot rotate through its addresses', () => {
    assert.equal(addressKey('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:db8:1:2:ffff:ffff:ffff:ffff'), '2001:db8:1:2::/64');
    assert.notEqual(addressKey('2001:db8:1:3::1'), addressKey('2001:db8:1:2::1'));
  });
});

describe('policies', () => {
  const settings = { rateLimitPerUser: 30, rateLimitPerAddress: 6000, rateLimitCheckinPerUser: 600, rateLimitFailedHolds: 10 };

  test('checkout has the per-user, per-address and failed-holds budgets; the queue and check-in no failed holds', () => {
    assert.deepEqual(policyLimits(settings, 'checkout'), { 'per-user': 30, 'per-address': 6000, 'failed-holds': 10 });
    assert.deepEqual(policyLimits(settings, 'queueJoin'), { 'per-user': 30, 'per-address': 6000, 'failed-holds': 0 });
    assert.deepEqual(policyLimits(settings, 'checkin'), { 'per-user': 600, 'per-address': 6000, 'failed-holds': 0 });
  });
});

describe('rate-limit configuration', () => {
  const names = ['RATE_LIMIT_PER_USER', 'RATE_LIMIT_PER_ADDRESS', 'RATE_LIMIT_FAILED_HOLDS', 'TRUSTED_PROXIES'];
  const saved = new Map(names.map((name) => [name, process.env[name]]));
  afterEach(() => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  test('defaults: 30 per user, a generous 6000 per address, 10 failed holds a minute, no trusted proxies', () => {
    for (const name of names) delete process.env[name];
    const env = readEnv();
    assert.equal(env.rateLimitPerUser, 30);
    assert.equal(env.rateLimitPerAddress, 6000);
    assert.equal(env.rateLimitFailedHolds, 10);
    assert.deepEqual(env.trustedProxies, []);
  });

  test('0 is accepted (the limit is off); a negative or fractional limit stops start-up, naming the variable', () => {
    process.env.RATE_LIMIT_PER_USER = '0';
    assert.equal(readEnv().rateLimitPerUser, 0);
    process.env.RATE_LIMIT_PER_USER = '-1';
    assert.throws(() => readEnv(), /RATE_LIMIT_PER_USER/);
    process.env.RATE_LIMIT_PER_USER = '2.5';
    assert.throws(() => readEnv(), /RATE_LIMIT_PER_USER/);
  });

  test('TRUSTED_PROXIES takes IPs and CIDRs, and refuses anything else, naming the variable', () => {
    process.env.TRUSTED_PROXIES = '10.0.0.1, 192.168.0.0/16,::1, loopback';
    assert.deepEqual(readEnv().trustedProxies, ['10.0.0.1', '192.168.0.0/16', '::1', 'loopback']);
    process.env.TRUSTED_PROXIES = '10.0.0.1,proxy.example';
    assert.throws(() => readEnv(), /TRUSTED_PROXIES/);
    process.env.TRUSTED_PROXIES = '10.0.0.0/33';
    assert.throws(() => readEnv(), /TRUSTED_PROXIES/);
  });
});
