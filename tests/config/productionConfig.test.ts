/**
 * Production mode (NODE_ENV=production): safe defaults, and every unsafe setting refused at start
 * with a message that names the variable and says why. readEnv is called with an environment object;
 * the last tests start the real entry points with such an environment and watch them refuse.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { describe, test } from '@jest/globals';
import { ConfigurationError, DEVELOPMENT_SECRETS, readEnv, UNAUTHENTICATED_OPT_OUT, type EnvSource } from '../../config/env';

const secret = (length = 64) => randomBytes(length).toString('base64url').slice(0, length);

/** A production environment that starts: every secret set, long and random. */
const production = (overrides: EnvSource = {}): EnvSource => ({
  NODE_ENV: 'production',
  JWT_SECRET: secret(),
  TICKET_SIGNING_SECRET: secret(),
  STRIPE_WEBHOOK_SECRET: `whsec_${secret(40)}`,
  STRIPE_SECRET_KEY: `sk_live_${secret(40)}`,
  ADMISSION_TOKEN_SECRET: secret(),
  ...overrides,
});

/** The refusals readEnv throws for `source`, one line each. */
function refusalsOf(source: EnvSource): string[] {
  try {
    readEnv(source);
  } catch (err) {
    assert.ok(err instanceof ConfigurationError, `expected a ConfigurationError, got ${String(err)}`);
    return err.refusals;
  }
  assert.fail('the configuration was accepted');
}

/** Asserts the configuration is refused with exactly one refusal, matching `pattern`; returns it. */
function refusedOnce(source: EnvSource, pattern: RegExp): string {
  const refusals = refusalsOf(source);
  assert.equal(refusals.length, 1, refusals.join('\n'));
  assert.match(refusals[0], pattern);
  return refusals[0];
}

/** A configuration error of any mode (not production's refusals): a plain Error naming the variable. */
function invalid(source: EnvSource, pattern: RegExp): void {
  assert.throws(() => readEnv(source), (err: Error) => {
    assert.match(err.message, pattern);
    return true;
  });
}

describe('production defaults', () => {
  test('a production configuration with strong secrets starts with the simulator off and auth required', () => {
    const env = readEnv(production());
    assert.equal(env.production, true);
    assert.equal(env.paymentSimulator, false);
    assert.equal(env.authRequired, true);
    assert.deepEqual(env.corsOrigins, []);
  });

  test('development (no NODE_ENV) keeps the easy defaults: simulator on, auth off, the published secrets', () => {
    const env = readEnv({});
    assert.equal(env.production, false);
    assert.equal(env.paymentSimulator, true);
    assert.equal(env.authRequired, false);
    assert.equal(env.jwtSecret, DEVELOPMENT_SECRETS.JWT_SECRET);
    assert.deepEqual(env.ticketKeys, { keys: [{ kid: 'default', secret: DEVELOPMENT_SECRETS.TICKET_SIGNING_SECRET }], signingKeyId: 'default' });
    assert.equal(readEnv({ NODE_ENV: 'test', PAYMENT_SIMULATOR: 'true' }).paymentSimulator, true);
  });
});

describe('production refuses a weak secret, naming it', () => {
  for (const [name, power] of [
    ['JWT_SECRET', /sign a bearer token for any user, staff or admin/],
    ['TICKET_SIGNING_SECRET', /make valid ticket codes/],
    ['STRIPE_WEBHOOK_SECRET', /confirm bookings without paying/],
  ] as const) {
    test(`refuses ${name} unset`, () => {
      const refusal = refusedOnce(production({ [name]: undefined }), new RegExp(`^${name} is not set, so the development default`));
      assert.match(refusal, power);
    });

    test(`refuses ${name} set to its development default`, () => {
      const refusal = refusedOnce(production({ [name]: DEVELOPMENT_SECRETS[name] }), new RegExp(`^${name} is a development default published in the docs`));
      assert.match(refusal, power);
      assert.match(refusal, /at least 32 characters/);
    });

    test(`refuses ${name} of 31 characters and accepts 32`, () => {
      refusedOnce(production({ [name]: secret(31) }), new RegExp(`^${name} is 31 characters, shorter than the 32 production needs: an HMAC secret that short can be guessed offline`));
      assert.doesNotThrow(() => readEnv(production({ [name]: secret(32) })));
    });
  }

  test('another secret’s published default is refused too (the JWT default reused as the webhook secret)', () => {
    refusedOnce(production({ STRIPE_WEBHOOK_SECRET: DEVELOPMENT_SECRETS.JWT_SECRET }), /^STRIPE_WEBHOOK_SECRET is a development default/);
  });

  test('a short key in TICKET_SIGNING_KEYS is refused by its key id; strong keys need no TICKET_SIGNING_SECRET', () => {
    const keys = `2026-a:${secret()},2026-b:${secret(20)}`;
    refusedOnce(
      production({ TICKET_SIGNING_SECRET: undefined, TICKET_SIGNING_KEYS: keys, TICKET_SIGNING_KEY_ID: '2026-a' }),
      /^TICKET_SIGNING_KEYS key "2026-b" is 20 characters, shorter than the 32/,
    );
    const env = readEnv(production({ TICKET_SIGNING_SECRET: undefined, TICKET_SIGNING_KEYS: `2026-a:${secret()}` }));
    assert.deepEqual(env.ticketKeys.keys.map((key) => key.kid), ['2026-a']);
  });
});

describe('production refuses unsafe switches', () => {
  test('refuses a missing STRIPE_SECRET_KEY: the simulator provider would refund owed money on paper only', () => {
    refusedOnce(production({ STRIPE_SECRET_KEY: undefined }), /^STRIPE_SECRET_KEY is not set, so payments and refunds would go to the built-in simulator, which moves no money/);
  });

  test('refuses PAYMENT_SIMULATOR=true', () => {
    refusedOnce(production({ PAYMENT_SIMULATOR: 'true' }), /^PAYMENT_SIMULATOR=true serves POST \/simulator\/payments, which lets anyone confirm a booking without paying; it is refused in production/);
    assert.equal(readEnv(production({ PAYMENT_SIMULATOR: 'false' })).paymentSimulator, false);
  });

  test('refuses AUTH_REQUIRED=false without the opt-out, or with the opt-out misspelt', () => {
    refusedOnce(
      production({ AUTH_REQUIRED: 'false' }),
      new RegExp(`^AUTH_REQUIRED=false lets anyone act as any user without a token; in production it also needs ALLOW_UNAUTHENTICATED_IN_PRODUCTION=${UNAUTHENTICATED_OPT_OUT}$`),
    );
    refusedOnce(production({ AUTH_REQUIRED: 'false', ALLOW_UNAUTHENTICATED_IN_PRODUCTION: 'yes' }), /\(it is set, but not to that value\)$/);
  });

  test('AUTH_REQUIRED=false with ALLOW_UNAUTHENTICATED_IN_PRODUCTION=i-understand-anyone-can-act-as-anyone starts, auth off', () => {
    const env = readEnv(production({ AUTH_REQUIRED: 'false', ALLOW_UNAUTHENTICATED_IN_PRODUCTION: UNAUTHENTICATED_OPT_OUT }));
    assert.equal(env.authRequired, false);
  });

  test('refuses CORS_ORIGINS=* and accepts a list of origins', () => {
    refusedOnce(production({ CORS_ORIGINS: '*' }), /^CORS_ORIGINS=\* lets every web site call this API/);
    assert.deepEqual(readEnv(production({ CORS_ORIGINS: 'https://tickets.example.com, https://admin.example.com' })).corsOrigins, [
      'https://tickets.example.com',
      'https://admin.example.com',
    ]);
  });

  test('refuses AUTH_JWKS_URL over plain HTTP and accepts https', () => {
    const provider = { AUTH_ISSUER: 'https://id.example.com/', AUTH_AUDIENCE: 'seatflow-api' };
    refusedOnce(production({ ...provider, AUTH_JWKS_URL: 'http://id.example.com/jwks.json' }), /^AUTH_JWKS_URL must use https in production/);
    assert.equal(readEnv(production({ ...provider, AUTH_JWKS_URL: 'https://id.example.com/jwks.json' })).authJwks?.issuer, provider.AUTH_ISSUER);
  });

  test('refuses an unset, published or short ADMISSION_TOKEN_SECRET, and a shortened ADMISSION_MINUTE_MS', () => {
    refusedOnce(production({ ADMISSION_TOKEN_SECRET: undefined }), /^ADMISSION_TOKEN_SECRET is not set.*past a waiting room/);
    refusedOnce(production({ ADMISSION_TOKEN_SECRET: DEVELOPMENT_SECRETS.ADMISSION_TOKEN_SECRET }), /^ADMISSION_TOKEN_SECRET is a development default/);
    refusedOnce(production({ ADMISSION_TOKEN_SECRET: 'short' }), /^ADMISSION_TOKEN_SECRET is 5 characters/);
    refusedOnce(production({ ADMISSION_MINUTE_MS: '6000' }), /^ADMISSION_MINUTE_MS=6000 .*simulations only/);
  });

  test('every refusal is listed at once, each naming its variable', () => {
    const refusals = refusalsOf({ NODE_ENV: 'production', PAYMENT_SIMULATOR: 'on', AUTH_REQUIRED: 'off' });
    assert.deepEqual(
      refusals.map((line) => /^\S+/.exec(line)?.[0]),
      ['JWT_SECRET', 'STRIPE_WEBHOOK_SECRET', 'ADMISSION_TOKEN_SECRET', 'TICKET_SIGNING_SECRET', 'STRIPE_SECRET_KEY', 'PAYMENT_SIMULATOR=true', 'AUTH_REQUIRED=false'],
    );
    assert.throws(() => readEnv({ NODE_ENV: 'production' }), /^ConfigurationError: Configuration refused \(NODE_ENV=production\):\n {2}- JWT_SECRET/);
  });
});

describe('settings refused in any mode', () => {
  test('identity provider settings: issuer and audience pinned, asymmetric algorithms only, bounded skew', () => {
    const url = 'https://id.example.com/jwks.json';
    invalid({ AUTH_JWKS_URL: url, AUTH_AUDIENCE: 'api' }, /AUTH_ISSUER is required with AUTH_JWKS_URL/);
    invalid({ AUTH_JWKS_URL: url, AUTH_ISSUER: 'https://id.example.com/' }, /AUTH_AUDIENCE is required with AUTH_JWKS_URL/);
    for (const algorithms of ['none', 'HS256', 'RS256,HS512']) {
      invalid({ AUTH_JWKS_URL: url, AUTH_ISSUER: 'https://id.example.com/', AUTH_AUDIENCE: 'api', AUTH_ALGORITHMS: algorithms }, /AUTH_ALGORITHMS may list only asymmetric algorithms/);
    }
    invalid({ AUTH_JWKS_URL: url, AUTH_ISSUER: 'seatflow', AUTH_AUDIENCE: 'api' }, /AUTH_ISSUER must not be "seatflow"/);
    invalid({ AUTH_ISSUER: 'https://id.example.com/' }, /AUTH_ISSUER set without AUTH_JWKS_URL/);
    invalid({ AUTH_CLOCK_SKEW_SECONDS: '301' }, /AUTH_CLOCK_SKEW_SECONDS must be an integer from 0 to 300/);
    const env = readEnv({ AUTH_JWKS_URL: url, AUTH_ISSUER: 'https://id.example.com/', AUTH_AUDIENCE: 'api,other' });
    assert.deepEqual(env.authJwks?.algorithms, ['RS256', 'ES256']);
    assert.deepEqual(env.authJwks?.audience, ['api', 'other']);
    assert.equal(env.authClockSkewSeconds, 30);
  });

  test('ticket keys: well-formed pairs, unique ids, and a signing key named when several are trusted', () => {
    invalid({ TICKET_SIGNING_KEYS: 'no-separator' }, /TICKET_SIGNING_KEYS must be a comma-separated list of kid:secret pairs/);
    invalid({ TICKET_SIGNING_KEYS: 'a:one,a:two' }, /TICKET_SIGNING_KEYS lists the key id "a" twice/);
    invalid({ TICKET_SIGNING_KEYS: 'a:one,b:two' }, /TICKET_SIGNING_KEY_ID must name the key that signs new tickets when several are trusted \(a, b\)/);
    invalid({ TICKET_SIGNING_KEYS: 'a:one', TICKET_SIGNING_KEY_ID: 'c' }, /TICKET_SIGNING_KEY_ID "c" is not one of the ticket keys \(a\)/);
    invalid({ TICKET_SIGNING_KEYS: 'default:one', TICKET_SIGNING_SECRET: 'two' }, /TICKET_SIGNING_KEYS has a key "default"/);
    const env = readEnv({ TICKET_SIGNING_KEYS: 'a:one,b:two:with:colons', TICKET_SIGNING_SECRET: 'old', TICKET_SIGNING_KEY_ID: 'b' });
    assert.deepEqual(env.ticketKeys, {
      keys: [
        { kid: 'a', secret: 'one' },
        { kid: 'b', secret: 'two:with:colons' },
        { kid: 'default', secret: 'old' },
      ],
      signingKeyId: 'b',
    });
  });

  test('CORS origins must be origins, and the headers timeout within the request timeout', () => {
    invalid({ CORS_ORIGINS: 'https://tickets.example.com/path' }, /CORS_ORIGINS must be \* or a comma-separated list of origins/);
    invalid({ HTTP_HEADERS_TIMEOUT_SECONDS: '40', HTTP_REQUEST_TIMEOUT_SECONDS: '30' }, /HTTP_HEADERS_TIMEOUT_SECONDS must not be more than HTTP_REQUEST_TIMEOUT_SECONDS/);
  });
});

describe('the entry points refuse to start', () => {
  const projectRoot = path.resolve(__dirname, '..', '..');

  /** Runs an entry point with `env` on top of this process's environment; resolves with its exit code and output. */
  function run(entry: string, env: EnvSource): Promise<{ code: number | null; output: string }> {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    for (const [name, value] of Object.entries(env)) if (value === undefined) delete childEnv[name];
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, entry)], { cwd: projectRoot, env: childEnv });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    return new Promise((resolve) =>
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, output });
      }),
    );
  }

  test('api/main.ts with NODE_ENV=production and the development JWT_SECRET exits non-zero, naming JWT_SECRET, without listening', async () => {
    const { code, output } = await run('api/main.ts', production({ JWT_SECRET: DEVELOPMENT_SECRETS.JWT_SECRET, PORT: '0' }));
    assert.notEqual(code, 0, output);
    assert.match(output, /\[api\] fatal: \[?ConfigurationError: Configuration refused \(NODE_ENV=production\):\n {2}- JWT_SECRET is a development default published in the docs/);
    assert.doesNotMatch(output, /listening on/);
  });

  test('worker/main.ts with NODE_ENV=production and PAYMENT_SIMULATOR=true exits non-zero, naming PAYMENT_SIMULATOR', async () => {
    const { code, output } = await run('worker/main.ts', production({ PAYMENT_SIMULATOR: 'true' }));
    assert.notEqual(code, 0, output);
    assert.match(output, /\[worker\] fatal: \[?ConfigurationError: [^\n]*\n {2}- PAYMENT_SIMULATOR=true serves POST \/simulator\/payments/);
    assert.doesNotMatch(output, /polling task queue/);
  });
});
