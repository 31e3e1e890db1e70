import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { describe, test } from '@jest/globals';
import { signTicketCode, verifyTicketCode } from '../../api/tickets/ticketCode';

const SECRET = 'ticket-code-test-secret';
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
    const code = signTicketCode(SECRET, c);
    assert.match(code, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(verifyTicketCode(SECRET, code), c);
    const payload = JSON.parse(Buffer.from(code.split('.')[0], 'base64url').toString('utf8'));
    assert.deepEqual(payload, { t: c.ticketId, e: c.eventId, s: 7, v: 1 });
  });

  test('a code with its seat, ticket or event changed is refused', () => {
    const code = signTicketCode(SECRET, claims());
    assert.equal(verifyTicketCode(SECRET, withPayload(code, (p) => ({ ...p, s: 8 }))), undefined);
    assert.equal(verifyTicketCode(SECRET, withPayload(code, (p) => ({ ...p, t: randomUUID() }))), undefined);
    assert.equal(verifyTicketCode(SECRET, withPayload(code, (p) => ({ ...p, e: randomUUID() }))), undefined);
  });

  test('a code signed with another secret is refused', () => {
    const c = claims();
    assert.equal(verifyTicketCode(SECRET, signTicketCode('someone-elses-secret', c)), undefined);
  });

  test('every single-character change of a code is refused', () => {
    const code = signTicketCode(SECRET, claims());
    for (let i = 0; i < code.length; i++) {
      const replacement = code[i] === 'A' ? 'B' : 'A';
      const altered = code.slice(0, i) + replacement + code.slice(i + 1);
      assert.equal(verifyTicketCode(SECRET, altered), undefined, `changing character ${i} was accepted`);
    }
  });

  test('another spelling of the same signature bytes is refused', () => {
    const code = signTicketCode(SECRET, claims());
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
    assert.equal(verifyTicketCode(SECRET, respelled), undefined);
  });

  test('malformed codes are refused without throwing', () => {
    const code = signTicketCode(SECRET, claims());
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
      assert.equal(verifyTicketCode(SECRET, bad), undefined, `accepted ${JSON.stringify(bad)}`);
    }
  });

  test('a correctly signed payload that is not a version-1 ticket is refused', () => {
    // Signed with the real secret, so only the payload's shape can make verification refuse it.
    const signed = (body: unknown) => {
      const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
      return `${payload}.${createHmac('sha256', SECRET).update(payload).digest('base64url')}`;
    };
    const good = { t: randomUUID(), e: randomUUID(), s: 3, v: 1 };
    assert.deepEqual(verifyTicketCode(SECRET, signed(good)), { ticketId: good.t, eventId: good.e, seatNumber: 3 });
    for (const body of [
      { ...good, v: 2 },
      { ...good, s: 0 },
      { ...good, s: 1.5 },
      { ...good, s: '3' },
      { ...good, t: 'not-a-uuid' },
      { ...good, e: 42 },
      [good],
      null,
      'text',
    ]) {
      assert.equal(verifyTicketCode(SECRET, signed(body)), undefined, `accepted ${JSON.stringify(body)}`);
    }
  });
});
