/**
 * All configuration, read and checked in one place. Every variable has a default that suits a
 * developer's machine, or fails with a message that names it.
 */
import path from 'node:path';
import proxyAddr from 'proxy-addr';
import { DEFAULT_TASK_QUEUE } from '../domain/taskQueue';
import type { TicketKeyring } from '../domain/ticket';
import { jwksSettingsOf, type JwksSettings } from './identityProvider';
import { SINGLE_SECRET_KEY_ID, ticketKeyringOf } from './ticketKeys';

const projectRoot = path.resolve(__dirname, '..');

export type EnvSource = Record<string, string | undefined>;

// The variables readEnv is reading: process.env, or the object a test hands it. Set for the span of
// one (synchronous) readEnv call, so the readers below keep their one-line form.
let source: EnvSource = process.env;

function str(name: string, fallback: string): string {
  const value = source[name];
  return value === undefined || value === '' ? fallback : value;
}

function int(name: string, fallback: number, min: number, max: number): number {
  const raw = source[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`Configuration: ${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function bool(name: string, fallback: boolean): boolean {
  const raw = source[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new Error(`Configuration: ${name} must be true or false, got "${raw}"`);
}

function optional(name: string): string | undefined {
  const value = source[name];
  return value === undefined || value === '' ? undefined : value;
}

/** A comma-separated list of proxies (IPs, CIDRs, or proxy-addr's `loopback`, `linklocal`, `uniquelocal`). */
function proxyList(name: string): string[] {
  const entries = (source[name] ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  try {
    proxyAddr.compile(entries);
  } catch (err) {
    throw new Error(`Configuration: ${name} must list IP addresses or CIDR ranges: ${(err as Error).message}`);
  }
  return entries;
}

export interface Env {
  /** API listen address. */
  host: string;
  port: number;
  /** PostgreSQL connection string; the launcher fills it in when unset. */
  databaseUrl: string;
  dbPoolSize: number;
  /** Temporal frontend; the launcher starts a dev server when unset. */
  temporalAddress: string;
  temporalNamespace: string;
  taskQueue: string;
  /** Secret that signs payment webhooks (Stripe's `whsec_...`). The default is for development only. */
  stripeWebhookSecret: string;
  /** Stripe API key (`sk_...`): set, payments and refunds go to Stripe; unset (the default), to the built-in simulator. */
  stripeSecretKey: string | undefined;
  /** Where the Stripe API is (e.g. stripe-mock's `http://127.0.0.1:12111`); unset: Stripe itself. */
  stripeApiUrl: string | undefined;
  /** Currency of PaymentIntents created for bookings. */
  paymentCurrency: string;
  /** How many times a buyer may extend one hold. */
  holdMaxExtensions: number;
  /** Longest a hold may last with its extensions, from when it was taken. */
  holdMaxTotalSeconds: number;
  /** Largest JSON body the API reads. */
  bodyLimitBytes: number;
  /** Largest body of POST /events, which may carry a venue layout. */
  layoutBodyLimitBytes: number;
  /** The database backstop releases holds this long past their expiry (their workflow should have). */
  backstopGraceSeconds: number;
  backstopIntervalSeconds: number;
  /** Set to share Socket.IO subscribers across API nodes (@socket.io/redis-adapter); one node alone without it. */
  redisUrl: string | undefined;
  /** Prefix of the Redis channels the nodes talk on: nodes share subscribers only with nodes of the same prefix. */
  redisChannelPrefix: string;
  /** How long committed seat changes are kept for clients that reconnect and ask for what they missed. */
  seatChangesKeepSeconds: number;
  /** Requests per minute one user may make to checkout (and to join a queue); 0 turns the limit off. */
  rateLimitPerUser: number;
  /** Requests per minute from one client address, per limited route group; generous, as a NAT hides crowds. 0: off. */
  rateLimitPerAddress: number;
  /** Check-in scans per minute per staff user (one gate's scanners may share a token). 0: off. */
  rateLimitCheckinPerUser: number;
  /** Holds per minute that may fail because the seats were taken before a buyer is slowed down. 0: off. */
  rateLimitFailedHolds: number;
  /** Prefix of the rate-limit counters' keys in Redis: deployments (or test runs) sharing one Redis keep apart. */
  rateLimitRedisPrefix: string;
  /** Prefix of the waiting rooms' keys in Redis (each event's keys add `{eventId}`). */
  waitingRoomRedisPrefix: string;
  /** Secret that signs admission tokens (HS256). The default is for development only. */
  admissionTokenSecret: string;
  /** How often an on-sale's admission workflow lets the next buyers in. */
  admissionTickMs: number;
  /** The minute `admitPerMinute` counts: 60000; shorter only to simulate an on-sale quickly (refused in production). */
  admissionMinuteMs: number;
  /** Proxies whose X-Forwarded-For is believed when finding a client's address; none by default. */
  trustedProxies: string[];
  /** NODE_ENV=production: safe defaults, and unsafe settings refuse to start (productionRefusals). */
  production: boolean;
  /** Serve the payment simulator (signed test webhooks) used by the seat-map page. Off, and refused, in production. */
  paymentSimulator: boolean;
  /** Require bearer tokens (JWT) on every non-public request. Off in development, on in production; tokens sent are always checked. */
  authRequired: boolean;
  /** Secret that signs bearer tokens (HS256). The default is for development only. */
  jwtSecret: string;
  /** Bearer tokens from an identity provider, verified with its JWKS; undefined: shared-secret tokens only. */
  authJwks: JwksSettings | undefined;
  /** Clock skew allowed on tokens' exp/nbf/iat. */
  authClockSkewSeconds: number;
  /** Ticket codes (HMAC-SHA256): the keys that verify them, by key id, and the one that signs. Whoever has a key can mint tickets. */
  ticketKeys: TicketKeyring;
  /** Origins whose pages may call the API from a browser (CORS); empty: same origin only, no CORS headers. */
  corsOrigins: string[];
  /**
   * How long checkout waits for its hold before answering 503 TEMPORAL_UNAVAILABLE. The workflow is
   * told the same deadline (holdBy) and refuses to hold after it, so a buyer told to try again holds nothing.
   */
  checkoutDeadlineMs: number;
  /** Checkouts one API node runs at once; the next are answered 503 BUSY at once (Temporal caps long polls per namespace). */
  maxCheckoutsInFlight: number;
  /**
   * Run a booking worker inside the API process, on the API's Temporal connection, and start
   * bookings eagerly (the first workflow task comes back in the start's answer). Off by default.
   */
  bookingWorkerInApi: boolean;
  /** Slow clients: a request's headers, and the whole request, must arrive within these. */
  httpHeadersTimeoutMs: number;
  httpRequestTimeoutMs: number;
  /** On SIGTERM/SIGINT, requests in flight may finish for this long; the rest are answered 503. */
  shutdownDrainMs: number;
  /** Largest Socket.IO message a client may send, and how many seat maps one connection may watch. */
  socketMaxMessageBytes: number;
  socketMaxSubscriptions: number;
  /** Events whose compact seat map an API node keeps in memory (least recently read evicted first). */
  seatMapCacheEvents: number;
  /** Events whose row (name, terms, sale settings) an API node keeps in memory for GET /events/:id. */
  eventCacheEvents: number;
  /** At most this often a kept seat map checks (one small query, in the background) that it missed no change. */
  seatMapVerifyMs: number;
  /** Launcher: explicit Temporal CLI binary, Web UI port, and where state is kept. */
  temporalCli: string | undefined;
  temporalUiPort: number;
  /** Launcher: port of the Temporal dev server it starts when TEMPORAL_ADDRESS is unset. */
  temporalDevPort: number;
  dataDir: string;
  toolsDir: string;
  projectRoot: string;
}

/** The development defaults of the secrets: published in the docs, so refused in production. */
export const DEVELOPMENT_SECRETS = {
  JWT_SECRET: 'seatflow-development-only-jwt-secret',
  TICKET_SIGNING_SECRET: 'seatflow-development-only-ticket-secret',
  STRIPE_WEBHOOK_SECRET: 'whsec_seatflow_development_only',
  ADMISSION_TOKEN_SECRET: 'seatflow-development-only-admission-secret',
} as const;

/** The one value of ALLOW_UNAUTHENTICATED_IN_PRODUCTION that lets AUTH_REQUIRED=false start in production. */
export const UNAUTHENTICATED_OPT_OUT = 'i-understand-anyone-can-act-as-anyone';

/**
 * Reads and checks the configuration from `from` (the process's environment by default). A value
 * that is invalid, or unsafe in production, throws a ConfigurationError naming the variable.
 */
export function readEnv(from: EnvSource = process.env): Env {
  source = from;
  try {
    const env = readVariables();
    if (env.httpHeadersTimeoutMs > env.httpRequestTimeoutMs) {
      throw new Error('Configuration: HTTP_HEADERS_TIMEOUT_SECONDS must not be more than HTTP_REQUEST_TIMEOUT_SECONDS (the headers are part of the request)');
    }
    const refusals = env.production ? productionRefusals(env) : [];
    if (refusals.length > 0) throw new ConfigurationError(refusals);
    return env;
  } finally {
    source = process.env;
  }
}

/** The default body limit of POST /events: room for a 100,000-seat layout with labelled seats. */
export const DEFAULT_LAYOUT_BODY_LIMIT_BYTES = 1024 * 1024;

function readVariables(): Env {
  const production = source.NODE_ENV === 'production';
  return {
    host: str('HOST', '127.0.0.1'),
    port: int('PORT', 3000, 0, 65535),
    databaseUrl: str('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/seatflow'),
    dbPoolSize: int('DB_POOL_SIZE', 20, 1, 500),
    temporalAddress: str('TEMPORAL_ADDRESS', '127.0.0.1:7233'),
    temporalNamespace: str('TEMPORAL_NAMESPACE', 'default'),
    taskQueue: str('TEMPORAL_TASK_QUEUE', DEFAULT_TASK_QUEUE),
    stripeWebhookSecret: str('STRIPE_WEBHOOK_SECRET', DEVELOPMENT_SECRETS.STRIPE_WEBHOOK_SECRET),
    stripeSecretKey: optional('STRIPE_SECRET_KEY'),
    stripeApiUrl: optional('STRIPE_API_URL'),
    paymentCurrency: str('PAYMENT_CURRENCY', 'usd'),
    holdMaxExtensions: int('HOLD_MAX_EXTENSIONS', 2, 0, 100),
    holdMaxTotalSeconds: int('HOLD_MAX_TOTAL_SECONDS', 900, 1, 86400),
    bodyLimitBytes: int('BODY_LIMIT_BYTES', 16 * 1024, 256, 10 * 1024 * 1024),
    // Unset, 1 MiB (or BODY_LIMIT_BYTES if larger): a 100,000-seat layout with every seat labelled is
    // about 760 KB of JSON (50 KB with rows given as counts), so a stadium needs no configuration.
    layoutBodyLimitBytes: int(
      'LAYOUT_BODY_LIMIT_BYTES',
      Math.max(DEFAULT_LAYOUT_BODY_LIMIT_BYTES, int('BODY_LIMIT_BYTES', 16 * 1024, 256, 10 * 1024 * 1024)),
      256,
      64 * 1024 * 1024,
    ),
    backstopGraceSeconds: int('HOLD_BACKSTOP_GRACE_SECONDS', 30, 0, 86400),
    backstopIntervalSeconds: int('HOLD_BACKSTOP_INTERVAL_SECONDS', 15, 1, 3600),
    redisUrl: optional('REDIS_URL'),
    redisChannelPrefix: str('REDIS_CHANNEL_PREFIX', 'socket.io'),
    seatChangesKeepSeconds: int('SEAT_CHANGES_KEEP_SECONDS', 3600, 60, 30 * 86400),
    rateLimitPerUser: int('RATE_LIMIT_PER_USER', 30, 0, 1_000_000),
    rateLimitPerAddress: int('RATE_LIMIT_PER_ADDRESS', 6000, 0, 1_000_000),
    rateLimitCheckinPerUser: int('RATE_LIMIT_CHECKIN_PER_USER', 600, 0, 1_000_000),
    rateLimitFailedHolds: int('RATE_LIMIT_FAILED_HOLDS', 10, 0, 1_000_000),
    rateLimitRedisPrefix: str('RATE_LIMIT_REDIS_PREFIX', 'seatflow:ratelimit'),
    trustedProxies: proxyList('TRUSTED_PROXIES'),
    waitingRoomRedisPrefix: str('WAITING_ROOM_REDIS_PREFIX', 'seatflow:queue'),
    admissionTokenSecret: str('ADMISSION_TOKEN_SECRET', DEVELOPMENT_SECRETS.ADMISSION_TOKEN_SECRET),
    admissionTickMs: int('ADMISSION_TICK_MS', 1000, 50, 60_000),
    admissionMinuteMs: int('ADMISSION_MINUTE_MS', 60_000, 1000, 60_000),
    production,
    paymentSimulator: bool('PAYMENT_SIMULATOR', !production),
    authRequired: bool('AUTH_REQUIRED', production),
    jwtSecret: str('JWT_SECRET', DEVELOPMENT_SECRETS.JWT_SECRET),
    authJwks: jwksSettingsOf({
      url: optional('AUTH_JWKS_URL'),
      issuer: optional('AUTH_ISSUER'),
      audience: optional('AUTH_AUDIENCE'),
      algorithms: optional('AUTH_ALGORITHMS'),
      rolesClaim: str('AUTH_ROLES_CLAIM', 'roles'),
      cacheMaxAgeSeconds: int('AUTH_JWKS_CACHE_SECONDS', 600, 1, 86400),
      cooldownSeconds: int('AUTH_JWKS_COOLDOWN_SECONDS', 30, 0, 3600),
    }),
    authClockSkewSeconds: int('AUTH_CLOCK_SKEW_SECONDS', 30, 0, 300),
    ticketKeys: ticketKeyringOf({
      keysList: optional('TICKET_SIGNING_KEYS'),
      singleSecret: optional('TICKET_SIGNING_SECRET'),
      signingKeyId: optional('TICKET_SIGNING_KEY_ID'),
      developmentSecret: DEVELOPMENT_SECRETS.TICKET_SIGNING_SECRET,
    }),
    corsOrigins: corsOrigins(optional('CORS_ORIGINS')),
    checkoutDeadlineMs: int('CHECKOUT_DEADLINE_MS', 10_000, 100, 600_000),
    maxCheckoutsInFlight: int('MAX_CHECKOUTS_IN_FLIGHT', 200, 1, 100_000),
    bookingWorkerInApi: bool('BOOKING_WORKER_IN_API', false),
    httpHeadersTimeoutMs: int('HTTP_HEADERS_TIMEOUT_SECONDS', 20, 1, 600) * 1000,
    httpRequestTimeoutMs: int('HTTP_REQUEST_TIMEOUT_SECONDS', 30, 1, 3600) * 1000,
    shutdownDrainMs: int('SHUTDOWN_DRAIN_SECONDS', 10, 0, 600) * 1000,
    socketMaxMessageBytes: int('SOCKET_MAX_MESSAGE_BYTES', 4096, 256, 1024 * 1024),
    socketMaxSubscriptions: int('SOCKET_MAX_SUBSCRIPTIONS', 10, 1, 1000),
    seatMapCacheEvents: int('SEAT_MAP_CACHE_EVENTS', 1000, 1, 1_000_000),
    eventCacheEvents: int('EVENT_CACHE_EVENTS', 10_000, 1, 10_000_000),
    seatMapVerifyMs: int('SEAT_MAP_VERIFY_SECONDS', 5, 1, 3600) * 1000,
    temporalCli: optional('TEMPORAL_CLI'),
    temporalUiPort: int('TEMPORAL_UI_PORT', 8233, 1, 65535),
    temporalDevPort: int('TEMPORAL_DEV_PORT', 7233, 1, 65535),
    dataDir: path.resolve(projectRoot, str('SEATFLOW_DATA_DIR', '.data')),
    toolsDir: path.resolve(projectRoot, '.tools'),
    projectRoot,
  };
}

/** True when the variable was given explicitly (the launcher then uses it instead of starting its own). */
export function isSet(name: 'DATABASE_URL' | 'TEMPORAL_ADDRESS'): boolean {
  return optional(name) !== undefined;
}

/** `*`, or a list of origins (`https://tickets.example.com,https://admin.example.com`): scheme, host and port only. */
function corsOrigins(raw: string | undefined): string[] {
  if (raw === undefined) return [];
  if (raw.trim() === '*') return ['*'];
  return raw.split(',').map((item) => {
    const origin = item.trim();
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.origin !== origin) {
      throw new Error(`Configuration: CORS_ORIGINS must be * or a comma-separated list of origins such as https://tickets.example.com, got "${origin}"`);
    }
    return origin;
  });
}

/** Production refuses to start with any of these; each names its variable and says why. */
export class ConfigurationError extends Error {
  declare readonly refusals: string[];

  constructor(refusals: string[]) {
    super(`Configuration refused (NODE_ENV=production):\n${refusals.map((line) => `  - ${line}`).join('\n')}`);
    this.name = 'ConfigurationError';
    // Not enumerable, so the entry points' `console.error(err)` prints the message once, as it stands;
    // and no stack: the message is the whole story.
    Object.defineProperty(this, 'refusals', { value: refusals, enumerable: false });
    this.stack = `${this.name}: ${this.message}`;
  }
}

const MIN_SECRET_LENGTH = 32;
const PUBLISHED_SECRETS: readonly string[] = Object.values(DEVELOPMENT_SECRETS);

/**
 * What is wrong with a secret for production: unset (`value` undefined: the published default
 * would be used), a published default, or too short to resist guessing. `what` is what it signs.
 */
function weakSecret(name: string, value: string | undefined, what: string, power: string, alternative = ''): string | undefined {
  const fix = `set it${alternative} to a random secret of at least ${MIN_SECRET_LENGTH} characters (openssl rand -hex 32)`;
  if (value === undefined) {
    return `${name} is not set, so the development default published in the docs would be used: whoever knows it ${power}; ${fix}`;
  }
  if (PUBLISHED_SECRETS.includes(value)) return `${name} is a development default published in the docs: whoever knows it ${power}; ${fix}`;
  if (value.length < MIN_SECRET_LENGTH) {
    return (
      `${name} is ${value.length} characters, shorter than the ${MIN_SECRET_LENGTH} production needs: ` +
      `an HMAC secret that short can be guessed offline from one ${what}, and whoever guesses it ${power}; ${fix}`
    );
  }
  return undefined;
}

function productionRefusals(env: Env): string[] {
  const refusals: (string | undefined)[] = [
    weakSecret('JWT_SECRET', optional('JWT_SECRET'), 'bearer token', 'can sign a bearer token for any user, staff or admin'),
    weakSecret('STRIPE_WEBHOOK_SECRET', optional('STRIPE_WEBHOOK_SECRET'), 'webhook delivery', 'can sign a payment webhook and confirm bookings without paying'),
    weakSecret('ADMISSION_TOKEN_SECRET', optional('ADMISSION_TOKEN_SECRET'), 'admission token', 'can let any buyer past a waiting room'),
  ];
  if (env.admissionMinuteMs !== 60_000) {
    refusals.push(`ADMISSION_MINUTE_MS=${env.admissionMinuteMs} makes waiting rooms admit admitPerMinute buyers per ${env.admissionMinuteMs} ms, not per minute; it is for simulations only (unset it)`);
  }
  // The key `default` is TICKET_SIGNING_SECRET (or its development default) unless TICKET_SIGNING_KEYS alone lists it.
  const singleSecretInUse = optional('TICKET_SIGNING_KEYS') === undefined || optional('TICKET_SIGNING_SECRET') !== undefined;
  for (const key of env.ticketKeys.keys) {
    const power = 'can make valid ticket codes';
    refusals.push(
      singleSecretInUse && key.kid === SINGLE_SECRET_KEY_ID
        ? weakSecret('TICKET_SIGNING_SECRET', optional('TICKET_SIGNING_SECRET'), 'ticket code', power, ' (or list kid:secret keys in TICKET_SIGNING_KEYS)')
        : weakSecret(`TICKET_SIGNING_KEYS key "${key.kid}"`, key.secret, 'ticket code', power),
    );
  }
  if (!env.stripeSecretKey) {
    refusals.push('STRIPE_SECRET_KEY is not set, so payments and refunds would go to the built-in simulator, which moves no money: money owed back to a buyer would be refunded on paper only; set it to your Stripe secret key (sk_live_...)');
  }
  if (env.paymentSimulator) {
    refusals.push('PAYMENT_SIMULATOR=true serves POST /simulator/payments, which lets anyone confirm a booking without paying; it is refused in production (unset it or set it to false)');
  }
  if (!env.authRequired && source.ALLOW_UNAUTHENTICATED_IN_PRODUCTION !== UNAUTHENTICATED_OPT_OUT) {
    refusals.push(
      'AUTH_REQUIRED=false lets anyone act as any user without a token; in production it also needs ' +
        `ALLOW_UNAUTHENTICATED_IN_PRODUCTION=${UNAUTHENTICATED_OPT_OUT}` +
        (source.ALLOW_UNAUTHENTICATED_IN_PRODUCTION ? ' (it is set, but not to that value)' : ''),
    );
  }
  if (env.corsOrigins.includes('*')) {
    refusals.push('CORS_ORIGINS=* lets every web site call this API from its visitors\' browsers; in production list the allowed origins (https://tickets.example.com,...)');
  }
  if (env.authJwks && !env.authJwks.url.startsWith('https:')) {
    refusals.push('AUTH_JWKS_URL must use https in production: keys fetched over plain HTTP can be swapped in transit, and with them any token accepted');
  }
  return refusals.filter((line): line is string => line !== undefined);
}
