/**
 * An identity provider's key set, served over real HTTP from this process: a JWKS URL that tests
 * point AUTH_JWKS_URL at, whose keys they can rotate, and signing keys to make its tokens with.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export interface ProviderKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** The public key as the JWKS publishes it. */
  jwk: JWK;
}

export async function newProviderKey(kid: string, alg: 'RS256' | 'ES256' = 'RS256', options: { publishAlg?: boolean } = {}): Promise<ProviderKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, use: 'sig', ...(options.publishAlg === false ? {} : { alg }) };
  return { kid, alg, privateKey, publicKey, jwk };
}

export interface JwksServer {
  url: string;
  /** How many times the key set was fetched. */
  fetches(): number;
  /** What the URL serves from now on. */
  publish(keys: ProviderKey[]): void;
  /** Answer every fetch with this HTTP status instead of the key set (an outage). */
  failWith(status: number | undefined): void;
  close(): Promise<void>;
}

export async function startJwksServer(): Promise<JwksServer> {
  let body = JSON.stringify({ keys: [] });
  let failure: number | undefined;
  let fetches = 0;
  const server = http.createServer((req, res) => {
    if (req.url !== '/.well-known/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    fetches += 1;
    if (failure !== undefined) {
      res.writeHead(failure).end('provider down');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    fetches: () => fetches,
    publish(keys) {
      body = JSON.stringify({ keys: keys.map((key) => key.jwk) });
    },
    failWith(status) {
      failure = status;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export interface TokenOptions {
  issuer: string;
  audience: string;
  subject?: string;
  /** Seconds from now; negative for the past. */
  expiresIn?: number;
  notBefore?: number;
  alg?: string;
  kid?: string;
}

/** A token signed with the provider's key, as the provider would issue it (or altered by the options). */
export async function providerToken(key: ProviderKey, claims: JWTPayload, options: TokenOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: options.alg ?? key.alg, kid: options.kid ?? key.kid, typ: 'JWT' })
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt(now - 5);
  if (options.subject !== undefined) jwt.setSubject(options.subject);
  if (options.expiresIn !== undefined) jwt.setExpirationTime(now + options.expiresIn);
  if (options.notBefore !== undefined) jwt.setNotBefore(now + options.notBefore);
  return jwt.sign(key.privateKey);
}
