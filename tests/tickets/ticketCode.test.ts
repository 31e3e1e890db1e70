import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import { signTicketCode, verifyTicketCode } from '../../api/tickets/ticketCode';
import type { TicketKeyring } from '../../domain/ticket';

const SECRET = 'ticket-code-test-secret';
const KEYRING: TicketKeyring = { keys: [{ kid: 'k1', secret: SECRET }], signingKeyId: 'k1' };
const keyring = (signingKeyId: string, ...keys: [string, string][]): TicketKeyring => ({
  keys: keys.map(([kid, secret]) => ({ kid, secret })),
  signingKeyId,
});
const claims = () => ({ ticketId: randomUUID(), eventId: randomUUID(), seatNumber: 7 });

/** Re-encodes a code's payload with some field changed, keeping the original signature. */
function withPayload(code: string, change: (payload: Record<string, unknown>) => Record<string, unknown>): string {
  const [payload, signature] = code.split('.');
  const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  return `${Buffer.from(JSON.stringify(change(decoded))).toString('base64url')}.${signature}`;
}

describe('ticket codes', () => {
  test('a code this server signed verifies to the ticket, event and seat it names', () => {
    const c = claims();
    const code = signTicketCode(KEYRING, c);
    assert.match(code, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(verifyTicketCode(KEYRING, code), c);
    const payload = JSON.parse(Buffer.from(code.split('.')[0], 'base64url').toString('utf8'));
    assert.deepEqual(payload, { t: c.ticketId, e: c.eventId, s: 7, v: 2, k: 'k1' });
  });

  test('a code with its seat, ticket or event changed is refused', () => {
    const code = signTicketCode(KEYRING, claims());
    assert.equal(verifyTicketCode(KEYRING, withPayload(code, (p) => ({ ...p, s: 8 }))), undefined);
    assert.equal(verifyTicketCode(KEYRING, withPayload(code, (p) => ({ ...p, t: randomUUID() }))), undefined);
    assert.equal(verifyTicketCode(KEYRING, withPayload(code, (p) => ({ ...p, e: randomUUID() }))), undefined);
  });

  test('a code signed with another secret is refused', () => {
    const c = claims();
    assert.equal(verifyTicketCode(KEYRING, signTicketCode(keyring('k1', ['k1', 'someone-elses-secret']), c)), undefined);
  });

  test('every single-character change of a code is refused', () => {
    const code = signTicketCode(KEYRING, claims());
    for (let i = 0; i < code.length; i++) {
      const replacement = code[i] === 'A' ? 'B' : 'A';
      const altered = code.slice(0, i) + replacement + code.slice(i + 1);
      assert.equal(verifyTicketCode(KEYRING, altered), undefined, `changing character ${i} was accepted`);
    }
  });

  test('another spelling of the same signature bytes is refused', () => {
    const code = signTicketCode(KEYRING, claims());
    // 32 bytes in 43 base64url characters leave 2 spare bits in the last one: flipping them keeps the bytes.
    const last = code.at(-1) ?? '';
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[alphabet.indexOf(last) ^ 1];
    const respelled = code.slice(0, -1) + sibling;
    assert.deepEqual(
      Buffer.from(respelled.split('.')[1], 'base64url'),
      Buffer.from(code.split('.')[1], 'base64url'),
      'the test needs a second spelling of the same bytes',
    );
    assert.equal(verifyTicketCode(KEYRING, respelled), undefined);
  });

  test('malformed codes are refused without throwing', () => {
    const code = signTicketCode(KEYRING, claims());
    const [payload, signature] = code.split('.');
    for (const bad of [
      '',
      '.',
      payload,
      `${payload}.`,
      `.${signature}`,
      `${code}.${signature}`,
      `${payload}=.${signature}`,
      `${payload}.${signature}=`,
      `${payload} .${signature}`,
      'not a code at all',
      `${code}${'A'.repeat(600)}`,
    ]) {
      assert.equal(verifyTicketCode(KEYRING, bad), undefined, `accepted ${JSON.stringify(bad)}`);
    }
  });

  test('a correctly signed payload that is not a well-formed version-1 or version-2 ticket is refused', () => {
    // Signed with the real secret, so only the payload's shape can make verification refuse it.
    const signed = (body: unknown) => {
      const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
      return `${payload}.${createHmac('sha256', SECRET).update(payload).digest('base64url')}`;
    };
    const good = { t: randomUUID(), e: randomUUID(), s: 3, v: 2, k: 'k1' };
    const unkeyed = { t: good.t, e: good.e, s: 3, v: 1 };
    assert.deepEqual(verifyTicketCode(KEYRING, signed(good)), { ticketId: good.t, eventId: good.e, seatNumber: 3 });
    assert.deepEqual(verifyTicketCode(KEYRING, signed(unkeyed)), { ticketId: good.t, eventId: good.e, seatNumber: 3 });
    for (const body of [
      { ...good, v: 3 },
      { ...good, v: 1 },
      { ...unkeyed, v: 2 },
      { ...good, k: 7 },
      { ...good, s: 0 },
      { ...good, s: 1.5 },
      { ...good, s: '3' },
      { ...good, t: 'not-a-uuid' },
      { ...good, e: 42 },
      [good],
      null,
      'text',
    ]) {
      assert.equal(verifyTicketCode(KEYRING, signed(body)), undefined, `accepted ${JSON.stringify(body)}`);
    }
  });
});

describe('ticket keys rotate', () => {
  const OLD = 'old-ticket-secret-aaaaaaaaaaaaaaaaaaaaaaaa';
  const NEW = 'new-ticket-secret-bbbbbbbbbbbbbbbbbbbbbbbb';

  test('a code names the key that signed it, inside the signed part', () => {
    const code = signTicketCode(keyring('2026-b', ['2026-a', OLD], ['2026-b', NEW]), claims());
    const payload = JSON.parse(Buffer.from(code.split('.')[0], 'base64url').toString('utf8')) as { k: string };
    assert.equal(payload.k, '2026-b');
    const signature = createHmac('sha256', NEW).update(code.split('.')[0]).digest('base64url');
    assert.equal(code.split('.')[1], signature);
  });

  test('a code signed with a retired key verifies while that key is still listed', () => {
    const c = claims();
    const before = signTicketCode(keyring('2026-a', ['2026-a', OLD]), c);
    const rotated = keyring('2026-b', ['2026-a', OLD], ['2026-b', NEW]);
    assert.deepEqual(verifyTicketCode(rotated, before), c);
    // New codes are signed with the new key, and the old key alone no longer verifies them.
    const after = signTicketCode(rotated, c);
    assert.notEqual(after, before);
    assert.deepEqual(verifyTicketCode(rotated, after), c);
    assert.equal(verifyTicketCode(keyring('2026-a', ['2026-a', OLD]), after), undefined);
  });

  test('a code signed with a key removed from the keyring is refused', () => {
    const before = signTicketCode(keyring('2026-a', ['2026-a', OLD]), claims());
    assert.equal(verifyTicketCode(keyring('2026-b', ['2026-b', NEW]), before), undefined);
  });

  test('a code is checked only against the key it names: one that names another trusted key than its signer is refused', () => {
    const c = claims();
    const rotated = keyring('2026-b', ['2026-a', OLD], ['2026-b', NEW]);
    // Signed with 2026-a's secret but claiming 2026-b: relabelled, or signed with the wrong key.
    const payload = Buffer.from(JSON.stringify({ t: c.ticketId, e: c.eventId, s: c.seatNumber, v: 2, k: '2026-b' })).toString('base64url');
    const mislabelled = `${payload}.${createHmac('sha256', OLD).update(payload).digest('base64url')}`;
    assert.equal(verifyTicketCode(rotated, mislabelled), undefined);
    // Relabelling a genuine code breaks its signature as well.
    const genuine = signTicketCode(keyring('2026-a', ['2026-a', OLD]), c);
    assert.equal(verifyTicketCode(rotated, withPayload(genuine, (p) => ({ ...p, k: '2026-b' }))), undefined);
  });

  test('a version-1 code (no key id, made before rotation) verifies under the old secret while it is in the keyring', () => {
    const c = claims();
    const payload = Buffer.from(JSON.stringify({ t: c.ticketId, e: c.eventId, s: c.seatNumber, v: 1 })).toString('base64url');
    const legacy = `${payload}.${createHmac('sha256', OLD).update(payload).digest('base64url')}`;
    assert.deepEqual(verifyTicketCode(keyring('default', ['default', OLD]), legacy), c);
    assert.deepEqual(verifyTicketCode(keyring('2026-b', ['default', OLD], ['2026-b', NEW]), legacy), c);
    assert.equal(verifyTicketCode(keyring('2026-b', ['2026-b', NEW]), legacy), undefined);
  });
});
