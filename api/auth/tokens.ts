import { jwtVerify, SignJWT } from 'jose';
import { SHARED_SECRET_ISSUER } from '../../config/identityProvider';
import { ROLES, type Principal, type Role } from '../../domain/roles';

/** Shared-secret tokens: HS256 only, so a token can never choose a weaker algorithm (or `none`). */
const ALGORITHM = 'HS256';

const keyOf = (secret: string) => new TextEncoder().encode(secret);

/** Signs a bearer token for a user and role (the dev command and tests use this). */
export async function issueToken(secret: string, principal: Principal, ttlSeconds = 12 * 3600): Promise<string> {
  return new SignJWT({ role: principal.role })
    .setProtectedHeader({ alg: ALGORITHM })
    .setSubject(principal.userId)
    .setIssuer(SHARED_SECRET_ISSUER)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(keyOf(secret));
}

/** The principal a shared-secret token names, or undefined when it is forged, expired or malformed. */
export async function verifyToken(secret: string, token: string, clockSkewSeconds = 0): Promise<Principal | undefined> {
  try {
    const { payload } = await jwtVerify(token, keyOf(secret), {
      issuer: SHARED_SECRET_ISSUER,
      algorithms: [ALGORITHM],
      clockTolerance: clockSkewSeconds,
      requiredClaims: ['exp'],
    });
    const role = payload.role;
    if (typeof payload.sub !== 'string' || payload.sub.length === 0) return undefined;
    if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) return undefined;
    return { userId: payload.sub, role: role as Role };
  } catch {
    return undefined;
  }
}
