/**
 * Settings for bearer tokens from an identity provider (Auth0, Keycloak, Cognito, ...): verified
 * with the keys its JWKS URL publishes, from one issuer, for one audience, with asymmetric
 * algorithms only.
 */

/** Asymmetric JWS algorithms a JWKS may be used with. HS* (a shared secret) and `none` never are. */
export const JWKS_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;
export const DEFAULT_JWKS_ALGORITHMS = ['RS256', 'ES256'];
/** The issuer of the shared-secret (HS256) tokens that `npm run token` signs. */
export const SHARED_SECRET_ISSUER = 'seatflow';

export interface JwksSettings {
  url: string;
  issuer: string;
  /** Tokens must name one of these in `aud`. */
  audience: string[];
  algorithms: string[];
  /** Claim (a name, or a dotted path such as `realm_access.roles`) whose values give the role. */
  rolesClaim: string;
  /** Keys are fetched again after this long, or sooner for a token whose key id is unknown... */
  cacheMaxAgeSeconds: number;
  /** ...but not more often than this. */
  cooldownSeconds: number;
}

export interface JwksInput {
  url: string | undefined;
  issuer: string | undefined;
  audience: string | undefined;
  algorithms: string | undefined;
  rolesClaim: string;
  cacheMaxAgeSeconds: number;
  cooldownSeconds: number;
}

const list = (raw: string) =>
  raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

export function jwksSettingsOf(input: JwksInput): JwksSettings | undefined {
  if (input.url === undefined) {
    const stray = (['issuer', 'audience', 'algorithms'] as const).filter((key) => input[key] !== undefined);
    if (stray.length > 0) {
      const names = stray.map((key) => `AUTH_${key.toUpperCase()}`).join(', ');
      throw new Error(`Configuration: ${names} set without AUTH_JWKS_URL: set AUTH_JWKS_URL too, or unset them`);
    }
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    throw new Error(`Configuration: AUTH_JWKS_URL must be an http(s) URL, got "${input.url}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`Configuration: AUTH_JWKS_URL must be an http(s) URL, got "${input.url}"`);
  }
  if (input.issuer === undefined) {
    throw new Error('Configuration: AUTH_ISSUER is required with AUTH_JWKS_URL: tokens are accepted from that issuer only');
  }
  if (input.issuer === SHARED_SECRET_ISSUER) {
    throw new Error(`Configuration: AUTH_ISSUER must not be "${SHARED_SECRET_ISSUER}", the issuer of shared-secret (JWT_SECRET) tokens`);
  }
  const audience = input.audience === undefined ? [] : list(input.audience);
  if (audience.length === 0) {
    throw new Error('Configuration: AUTH_AUDIENCE is required with AUTH_JWKS_URL: tokens must be meant for this API (their aud claim)');
  }
  const algorithms = input.algorithms === undefined ? DEFAULT_JWKS_ALGORITHMS : list(input.algorithms);
  const refused = algorithms.filter((alg) => !(JWKS_ALGORITHMS as readonly string[]).includes(alg));
  if (algorithms.length === 0 || refused.length > 0) {
    throw new Error(
      `Configuration: AUTH_ALGORITHMS may list only asymmetric algorithms (${JWKS_ALGORITHMS.join(', ')}), got "${input.algorithms}": ` +
        '"none" accepts unsigned tokens and HS* would treat a public key as a shared secret',
    );
  }
  if (input.rolesClaim.trim() === '') throw new Error('Configuration: AUTH_ROLES_CLAIM must name a claim');
  return {
    url: url.href,
    issuer: input.issuer,
    audience,
    algorithms,
    rolesClaim: input.rolesClaim,
    cacheMaxAgeSeconds: input.cacheMaxAgeSeconds,
    cooldownSeconds: input.cooldownSeconds,
  };
}
