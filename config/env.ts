/**
 * All configuration, read and checked in one place. Every variable has a default that suits a
 * developer's machine, or fails with a message that names it.
 */
import path from 'node:path';
import proxyAddr from 'proxy-addr';
import { DEFAULT_TASK_QUEUE } from '../domain/taskQueue';

const projectRoot = path.resolve(__dirname, '..');

function str(name: string, fallback: string): string {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : value;
}

function int(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`Configuration: ${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function bool(name: string, fallback: boolean): boolean {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new Error(`Configuration: ${name} must be true or false, got "${raw}"`);
}

function optional(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** A comma-separated list of proxies (IPs, CIDRs, or proxy-addr's `loopback`, `linklocal`, `uniquelocal`). */
function proxyList(name: string): string[] {
  const entries = (process.env[name] ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
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
  /** Proxies whose X-Forwarded-For is believed when finding a client's address; none by default. */
  trustedProxies: string[];
  /** Serve the payment simulator (signed test webhooks) used by the seat-map page. */
  paymentSimulator: boolean;
  /** Require bearer tokens (JWT) on every request. Off by default for development; tokens sent are still checked. */
  authRequired: boolean;
  /** Secret that signs bearer tokens (HS256). The default is for development only. */
  jwtSecret: string;
  /** Secret that signs ticket codes (HMAC-SHA256): whoever has it can mint tickets. The default is for development only. */
  ticketSigningSecret: string;
  /** Launcher: explicit Temporal CLI binary, Web UI port, and where state is kept. */
  temporalCli: string | undefined;
  temporalUiPort: number;
  dataDir: string;
  toolsDir: string;
  projectRoot: string;
}

export function readEnv(): Env {
  return {
    host: str('HOST', '127.0.0.1'),
    port: int('PORT', 3000, 0, 65535),
    databaseUrl: str('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/seatflow'),
    dbPoolSize: int('DB_POOL_SIZE', 20, 1, 500),
    temporalAddress: str('TEMPORAL_ADDRESS', '127.0.0.1:7233'),
    temporalNamespace: str('TEMPORAL_NAMESPACE', 'default'),
    taskQueue: str('TEMPORAL_TASK_QUEUE', DEFAULT_TASK_QUEUE),
    stripeWebhookSecret: str('STRIPE_WEBHOOK_SECRET', 'whsec_seatflow_development_only'),
    stripeSecretKey: optional('STRIPE_SECRET_KEY'),
    stripeApiUrl: optional('STRIPE_API_URL'),
    paymentCurrency: str('PAYMENT_CURRENCY', 'usd'),
    holdMaxExtensions: int('HOLD_MAX_EXTENSIONS', 2, 0, 100),
    holdMaxTotalSeconds: int('HOLD_MAX_TOTAL_SECONDS', 900, 1, 86400),
    bodyLimitBytes: int('BODY_LIMIT_BYTES', 16 * 1024, 256, 10 * 1024 * 1024),
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
    paymentSimulator: bool('PAYMENT_SIMULATOR', true),
    authRequired: bool('AUTH_REQUIRED', false),
    jwtSecret: str('JWT_SECRET', 'seatflow-development-only-jwt-secret'),
    ticketSigningSecret: str('TICKET_SIGNING_SECRET', 'seatflow-development-only-ticket-secret'),
    temporalCli: optional('TEMPORAL_CLI'),
    temporalUiPort: int('TEMPORAL_UI_PORT', 8233, 1, 65535),
    dataDir: path.resolve(projectRoot, str('SEATFLOW_DATA_DIR', '.data')),
    toolsDir: path.resolve(projectRoot, '.tools'),
    projectRoot,
  };
}

/** True when the variable was given explicitly (the launcher then uses it instead of starting its own). */
export function isSet(name: 'DATABASE_URL' | 'TEMPORAL_ADDRESS'): boolean {
  return optional(name) !== undefined;
}
