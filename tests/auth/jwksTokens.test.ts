/**
 * Bearer tokens from an identity provider (as Auth0, Keycloak or Cognito issue them), verified with
 * the keys its JWKS URL publishes, here served by a real local HTTP server: issuer, audience and
 * algorithms pinned, clock skew bounded, roles from a configured claim, keys rotated.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, test } from '@jest/globals';
import { exportPKCS8, exportSPKI, importPKCS8, SignJWT } from 'jose';
import { issueToken } from '../../api/auth/tokens';
import { jwksSettingsOf } from '../../config/identityProvider';
import type { EventRecord } from '../../domain/event';
import { assertError } from '../api/assertions';
import { startTestStack, type TestStack } from '../support/stack';
import { client, newUserId } from './authClient';
import { newProviderKey, providerToken, startJwksServer, type JwksServer, type ProviderKey, type TokenOptions } from './jwksServer';

const ISSUER = 'https://id.example.test/realms/seatflow/';
const AUDIENCE = 'seatflow-api';
const SKEW_SECONDS = 30;

/** A stack (API only) that trusts the provider whose key set `jwks` serves. */
function providerStack(jwks: JwksServer, cooldownSeconds = 30): Promise<TestStack> {
  return startTestStack({
    worker: false,
    env: {
      authRequired: true,
      jwtSecret: `jwks-test-shared-secret-${randomUUID()}`,
      authClockSkewSeconds: SKEW_SECONDS,
      authJwks: jwksSettingsOf({
        url: jwks.url,
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: undefined,
        rolesClaim: 'realm_access.roles',
        cacheMaxAgeSeconds: 600,
        cooldownSeconds,
      }),
    },
  });
}

const asProvider = (key: ProviderKey, claims: Record<string, unknown> = {}, options: Partial<TokenOptions> = {}) =>
  providerToken(key, claims, { issuer: ISSUER, audience: AUDIENCE, subject: newUserId('idp'), expiresIn: 600, ...options });

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('tokens from the identity provider’s JWKS', () => {
  let jwks: JwksServer;
  let stack: TestStack;
  let rsa: ProviderKey;
  let ec: ProviderKey;
  let unpinned: ProviderKey;

  beforeAll(async () => {
    jwks = await startJwksServer();
    [rsa, ec, unpinned] = await Promise.all([
      newProviderKey('rsa-1', 'RS256'),
      newProviderKey('ec-1', 'ES256'),
      // Published without "alg", so only AUTH_ALGORITHMS stands between it and an algorithm a token picks.
      newProviderKey('rsa-no-alg', 'RS256', { publishAlg: false }),
    ]);
    jwks.publish([rsa, ec, unpinned]);
    stack = await providerStack(jwks);
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await jwks?.close();
  });

  const me = (token: string) => client(stack.baseUrl, `Bearer ${token}`).get<{ bookings: unknown[]; total: number }>('/users/me/bookings');
  const newEvent = (token: string) =>
    client(stack.baseUrl, `Bearer ${token}`).post<EventRecord>('/events', { name: `JWKS ${randomUUID().slice(0, 8)}`, totalSeats: 3 });

  test('an RS256 or ES256 token signed with a published key, for this audience, is accepted (200)', async () => {
    for (const key of [rsa, ec]) {
      const res = await me(await asProvider(key));
      assert.equal(res.status, 200, `${key.alg}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.total, 0);
    }
  });

  test('roles come from AUTH_ROLES_CLAIM: staff may create events, a token without a known role is a buyer’s (403)', async () => {
    const staff = await asProvider(rsa, { realm_access: { roles: ['offline_access', 'staff'] } });
    assert.equal((await newEvent(staff)).status, 201);
    const noRole = await asProvider(rsa, { realm_access: { roles: ['offline_access', 'uma_authorization'] } });
    assertError(await newEvent(noRole), 403, 'FORBIDDEN');
    assert.equal((await me(noRole)).status, 200);
    // The shared-secret token's `role` claim means nothing in a provider's token.
    assertError(await newEvent(await asProvider(rsa, { role: 'admin' })), 403, 'FORBIDDEN');
  });

  test('an unsigned token (alg none) naming the provider as issuer answers 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({
      iss: ISSUER,
      aud: AUDIENCE,
      sub: newUserId(),
      exp: now + 600,
      realm_access: { roles: ['admin'] },
    })}.`;
    assertError(await me(unsigned), 401, 'UNAUTHENTICATED');
    assertError(await newEvent(unsigned), 401, 'UNAUTHENTICATED');
  });

  test('a token signed with a key the provider did not publish answers 401, even under a published key id', async () => {
    const stranger = await newProviderKey('rsa-1', 'RS256');
    assertError(await me(await asProvider(stranger)), 401, 'UNAUTHENTICATED');
    const unknownKid = await newProviderKey(`rsa-${randomUUID()}`, 'RS256');
    assertError(await me(await asProvider(unknownKid)), 401, 'UNAUTHENTICATED');
  });

  test('a token from another issuer answers 401, though signed with a published key', async () => {
    assertError(await me(await asProvider(rsa, {}, { issuer: 'https://evil.example.test/' })), 401, 'UNAUTHENTICATED');
  });

  test('a token for another audience answers 401', async () => {
    assertError(await me(await asProvider(rsa, {}, { audience: 'another-api' })), 401, 'UNAUTHENTICATED');
  });

  test('a shared-secret algorithm under the provider’s issuer answers 401: HS256 with JWT_SECRET or with the public key as secret', async () => {
    const now = Math.floor(Date.now() / 1000);
    const hs256 = (secret: Uint8Array) =>
      new SignJWT({ realm_access: { roles: ['admin'] } })
        .setProtectedHeader({ alg: 'HS256', kid: rsa.kid })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setSubject(newUserId())
        .setExpirationTime(now + 600)
        .sign(secret);
    const withSharedSecret = await hs256(new TextEncoder().encode(stack.env.jwtSecret));
    const withPublicKey = await hs256(new TextEncoder().encode(await exportSPKI(rsa.publicKey)));
    for (const token of [withSharedSecret, withPublicKey]) assertError(await newEvent(token), 401, 'UNAUTHENTICATED');
  });

  test('an algorithm outside AUTH_ALGORITHMS answers 401 (PS256 with a published RSA key)', async () => {
    // The published key's own private key, used for RSA-PSS: an algorithm the key can do but the API does not allow.
    const pss = await importPKCS8(await exportPKCS8(unpinned.privateKey), 'PS256');
    const token = await providerToken({ ...unpinned, alg: 'PS256', privateKey: pss }, {}, {
      issuer: ISSUER,
      audience: AUDIENCE,
      subject: newUserId(),
      expiresIn: 600,
    });
    assertError(await me(token), 401, 'UNAUTHENTICATED');
    // The same key with an allowed algorithm is accepted: the algorithm is what was refused.
    assert.equal((await me(await asProvider(unpinned))).status, 200);
  });

  test('an expired token, and a token without an expiry, answer 401', async () => {
    assertError(await me(await asProvider(rsa, {}, { expiresIn: -3600 })), 401, 'UNAUTHENTICATED');
    assertError(await me(await asProvider(rsa, {}, { expiresIn: undefined })), 401, 'UNAUTHENTICATED');
  });

  test(`clock skew: expired or not yet valid by 10 s is accepted (AUTH_CLOCK_SKEW_SECONDS=${SKEW_SECONDS}); by 60 s it is 401`, async () => {
    assert.equal((await me(await asProvider(rsa, {}, { expiresIn: -10 }))).status, 200);
    assert.equal((await me(await asProvider(rsa, {}, { notBefore: 10 }))).status, 200);
    assertError(await me(await asProvider(rsa, {}, { expiresIn: -60 })), 401, 'UNAUTHENTICATED');
    assertError(await me(await asProvider(rsa, {}, { notBefore: 60 })), 401, 'UNAUTHENTICATED');
  });

  test('a token without a subject answers 401', async () => {
    assertError(await me(await asProvider(rsa, {}, { subject: undefined })), 401, 'UNAUTHENTICATED');
  });

  test('shared-secret tokens (npm run token) are still accepted beside the provider’s', async () => {
    const token = await issueToken(stack.env.jwtSecret, { userId: newUserId('local'), role: 'staff' });
    assert.equal((await newEvent(token)).status, 201);
  });
});

describe('the provider rotates its signing key', () => {
  let jwks: JwksServer;
  let stack: TestStack;
  const COOLDOWN_SECONDS = 1;

  beforeAll(async () => {
    jwks = await startJwksServer();
    stack = await providerStack(jwks, COOLDOWN_SECONDS);
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await jwks?.close();
  });

  test('after the key set changes, tokens from the new key are accepted and tokens from the removed key refused', async () => {
    const me = (token: string) => client(stack.baseUrl, `Bearer ${token}`).get('/users/me/bookings');
    const [oldKey, newKey] = await Promise.all([newProviderKey('2026-01', 'RS256'), newProviderKey('2026-02', 'ES256')]);
    jwks.publish([oldKey]);
    const oldToken = await asProvider(oldKey);
    assert.equal((await me(oldToken)).status, 200);
    const fetchedBefore = jwks.fetches();

    // The provider rotates: only the new key is published now.
    jwks.publish([newKey]);
    await new Promise((resolve) => setTimeout(resolve, COOLDOWN_SECONDS * 1000 + 200));
    const newToken = await asProvider(newKey);
    const accepted = await me(newToken);
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    assert.ok(jwks.fetches() > fetchedBefore, 'the new key id should have made the API fetch the key set again');
    assertError(await me(oldToken), 401, 'UNAUTHENTICATED');
    // A new token from the removed key is refused too.
    assertError(await me(await asProvider(oldKey)), 401, 'UNAUTHENTICATED');
  });
});

describe('the provider’s key set cannot be fetched', () => {
  let jwks: JwksServer;
  let stack: TestStack;

  beforeAll(async () => {
    jwks = await startJwksServer();
    jwks.failWith(500);
    stack = await providerStack(jwks);
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await jwks?.close();
  });

  test('a provider token answers 503 SERVICE_UNAVAILABLE (not 401, not 500); shared-secret tokens still work', async () => {
    const key = await newProviderKey('rsa-1', 'RS256');
    const res = await client(stack.baseUrl, `Bearer ${await asProvider(key)}`).get('/users/me/bookings');
    assertError(res, 503, 'SERVICE_UNAVAILABLE');
    assert.ok(jwks.fetches() >= 1);
    const shared = await issueToken(stack.env.jwtSecret, { userId: newUserId('local'), role: 'buyer' });
    assert.equal((await client(stack.baseUrl, `Bearer ${shared}`).get('/users/me/bookings')).status, 200);
  });
});
