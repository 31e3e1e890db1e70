import { decodeJwt } from 'jose';
import type { Env } from '../../config/env';
import type { Principal } from '../../domain/roles';
import { createJwksVerifier } from './jwksTokens';
import { verifyToken } from './tokens';

/** Answers the principal a bearer token names, or undefined when it is not valid. */
export type TokenVerifier = (token: string) => Promise<Principal | undefined>;

/**
 * One verifier per API node. A token whose issuer is the identity provider's (AUTH_ISSUER) is
 * verified with its JWKS; any other is verified as a shared-secret token (HS256, JWT_SECRET, issuer
 * `seatflow`). The issuer only picks the verifier; each one pins its own algorithms, keys and
 * issuer, so a token cannot borrow the other path's rules.
 */
export function createTokenVerifier(env: Pick<Env, 'jwtSecret' | 'authJwks' | 'authClockSkewSeconds'>): TokenVerifier {
  const provider = env.authJwks;
  const verifyProviderToken = provider ? createJwksVerifier(provider, env.authClockSkewSeconds) : undefined;
  return async (token) => {
    let issuer: unknown;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      return undefined;
    }
    if (verifyProviderToken && issuer === provider?.issuer) return verifyProviderToken(token);
    return verifyToken(env.jwtSecret, token, env.authClockSkewSeconds);
  };
}
