import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import type { JwksSettings } from '../../config/identityProvider';
import type { Principal } from '../../domain/roles';
import { serviceUnavailable } from '../errors';
import { roleFromClaim } from './rolesClaim';

/** How long one fetch of the provider's keys may take. */
const FETCH_TIMEOUT_MS = 5_000;

/**
 * Verifies bearer tokens from an identity provider with the keys its JWKS URL publishes: issuer,
 * audience and algorithms pinned, clock skew bounded, `sub` and `exp` required. The keys are cached
 * and fetched again when they grow old or a token names a key id not seen yet (a rotation), so a
 * key the provider has removed stops verifying once the set has been fetched again.
 *
 * Answers the principal, or undefined for a token that does not verify; throws 503 when the keys
 * cannot be fetched (the token may be fine: the provider is what failed).
 */
export function createJwksVerifier(settings: JwksSettings, clockSkewSeconds: number) {
  const keys = createRemoteJWKSet(new URL(settings.url), {
    cacheMaxAge: settings.cacheMaxAgeSeconds * 1000,
    cooldownDuration: settings.cooldownSeconds * 1000,
    timeoutDuration: FETCH_TIMEOUT_MS,
  });
  return async function verifyProviderToken(token: string): Promise<Principal | undefined> {
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: settings.algorithms,
        clockTolerance: clockSkewSeconds,
        requiredClaims: ['sub', 'exp'],
      });
      if (typeof payload.sub !== 'string' || payload.sub.length === 0) return undefined;
      return { userId: payload.sub, role: roleFromClaim(payload, settings.rolesClaim) };
    } catch (err) {
      if (keysUnavailable(err)) {
        throw serviceUnavailable('The identity provider’s signing keys (AUTH_JWKS_URL) could not be fetched; try again shortly');
      }
      return undefined;
    }
  };
}

/** A failure to get the key set (network, timeout, not 200, not a key set), as opposed to a bad token. */
function keysUnavailable(err: unknown): boolean {
  if (!(err instanceof errors.JOSEError)) return true;
  return err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid || err.code === 'ERR_JOSE_GENERIC';
}
