import type { JWTPayload } from 'jose';
import { ROLES, type Role } from '../../domain/roles';

/** Weakest first: of several roles a token carries, the strongest wins. */
const STRENGTH: readonly Role[] = ROLES;

/**
 * The claim's value: a top-level claim of that exact name (Auth0's namespaced
 * `https://example.com/roles`, Cognito's `cognito:groups`), else a dotted path into nested claims
 * (Keycloak's `realm_access.roles`).
 */
function claimAt(payload: JWTPayload, claim: string): unknown {
  if (Object.hasOwn(payload, claim)) return payload[claim];
  let value: unknown = payload;
  for (const step of claim.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, step)) return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

/**
 * The role a provider's token gives: the strongest of `buyer`, `staff`, `admin` (any case) among the
 * claim's values (a string, space- or comma-separated, or an array of strings). Values that are none
 * of these (Keycloak's `offline_access`, say) are ignored, and a token with none of them is a buyer's:
 * an identity provider's users are, by default, customers.
 */
export function roleFromClaim(payload: JWTPayload, claim: string): Role {
  const value = claimAt(payload, claim);
  const values = typeof value === 'string' ? value.split(/[\s,]+/) : Array.isArray(value) ? value : [];
  let strongest = 0;
  for (const item of values) {
    if (typeof item !== 'string') continue;
    const index = STRENGTH.indexOf(item.toLowerCase() as Role);
    if (index > strongest) strongest = index;
  }
  return STRENGTH[strongest];
}
