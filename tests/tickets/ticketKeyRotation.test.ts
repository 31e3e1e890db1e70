/**
 * Rotating the ticket signing key at the gate: API nodes started with the keyring before and after
 * a rotation, over the same database. Tickets sold under a retired key still admit while that key
 * is listed; once it is removed from TICKET_SIGNING_KEYS they answer 400 INVALID_TICKET. Codes made
 * before key ids existed still admit under the old TICKET_SIGNING_SECRET.
 */
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { describe, test } from '@jest/globals';
import { startApiServer } from '../../api/server';
import { readEnv, type Env } from '../../config/env';
import type { TicketKeyring } from '../../domain/ticket';
import { createPaymentProvider } from '../../payments/createPaymentProvider';
import { assertError } from '../api/assertions';
import { useTestStack } from '../support/stack';
import { afterThisTest } from '../support/testHooks';
import { checkIn, confirmedBooking, newEvent, ticketRows, ticketsOf } from './ticketSupport';

const OLD = randomBytes(32).toString('hex');
const NEW = randomBytes(32).toString('hex');
const before: TicketKeyring = { keys: [{ kid: '2026-a', secret: OLD }], signingKeyId: '2026-a' };
const rotated: TicketKeyring = {
  keys: [
    { kid: '2026-a', secret: OLD },
    { kid: '2026-b', secret: NEW },
  ],
  signingKeyId: '2026-b',
};
const retired: TicketKeyring = { keys: [{ kid: '2026-b', secret: NEW }], signingKeyId: '2026-b' };

const stack = useTestStack({ env: { ticketKeys: before } });

/** Another API node on the stack's database and Temporal, with other settings (a deploy with the new keys). */
async function apiNode(env: Partial<Env>): Promise<string> {
  const nodeEnv: Env = { ...stack.env, ...env, host: '127.0.0.1', port: 0 };
  const server = await startApiServer({
    env: nodeEnv,
    pool: stack.pool,
    temporal: stack.temporal,
    payments: createPaymentProvider(nodeEnv, stack.pool),
  });
  afterThisTest(() => server.close());
  return server.url;
}

const keyIdOf = (code: string) => (JSON.parse(Buffer.from(code.split('.')[0], 'base64url').toString('utf8')) as { k?: string }).k;

describe('rotating the ticket signing key', () => {
  test('a ticket signed with a retired key admits while the key is still listed; new tickets carry the new key', async () => {
    const event = await newEvent(stack.baseUrl);
    const booking = await confirmedBooking(stack.baseUrl, event.id, [1, 2]);
    const [first] = await ticketsOf(stack.baseUrl, booking.id);
    assert.equal(keyIdOf(first.code), '2026-a');

    const afterRotation = await apiNode({ ticketKeys: rotated });
    const admitted = await checkIn(afterRotation, { code: first.code, eventId: event.id });
    assert.equal(admitted.status, 200, JSON.stringify(admitted.body));
    assert.equal(admitted.body.ticketId, first.id);

    const reissued = await ticketsOf(afterRotation, booking.id);
    const second = reissued.find((ticket) => ticket.seatNumber === 2);
    assert.ok(second);
    assert.equal(keyIdOf(second.code), '2026-b');
    assert.equal((await checkIn(afterRotation, { code: second.code })).status, 200);
  });

  test('a ticket signed with a key removed from the keyring answers 400 INVALID_TICKET and admits nothing', async () => {
    const event = await newEvent(stack.baseUrl);
    const booking = await confirmedBooking(stack.baseUrl, event.id, [3]);
    const [ticket] = await ticketsOf(stack.baseUrl, booking.id);
    assert.equal(keyIdOf(ticket.code), '2026-a');

    const afterRetirement = await apiNode({ ticketKeys: retired });
    assertError(await checkIn(afterRetirement, { code: ticket.code }), 400, 'INVALID_TICKET');
    assert.deepEqual((await ticketRows(stack.pool, { bookingId: booking.id })).map((row) => row.status), ['VALID']);
    // The ticket itself is still good: listed again, it is signed with the current key and admits.
    const [current] = await ticketsOf(afterRetirement, booking.id);
    assert.equal(keyIdOf(current.code), '2026-b');
    assert.equal((await checkIn(afterRetirement, { code: current.code })).status, 200);
  });

  test('a code made before key ids (no kid) admits under the old TICKET_SIGNING_SECRET kept beside TICKET_SIGNING_KEYS', async () => {
    const event = await newEvent(stack.baseUrl);
    const booking = await confirmedBooking(stack.baseUrl, event.id, [4]);
    const [ticket] = await ticketsOf(stack.baseUrl, booking.id);
    // As the server signed codes before this change: version 1, no key id, the single secret.
    const payload = Buffer.from(JSON.stringify({ t: ticket.id, e: event.id, s: 4, v: 1 })).toString('base64url');
    const legacyCode = `${payload}.${createHmac('sha256', OLD).update(payload).digest('base64url')}`;

    const configured = readEnv({ TICKET_SIGNING_SECRET: OLD, TICKET_SIGNING_KEYS: `2026-b:${NEW}`, TICKET_SIGNING_KEY_ID: '2026-b' });
    const withoutOldSecret = await apiNode({ ticketKeys: readEnv({ TICKET_SIGNING_KEYS: `2026-b:${NEW}` }).ticketKeys });
    assertError(await checkIn(withoutOldSecret, { code: legacyCode }), 400, 'INVALID_TICKET');

    const node = await apiNode({ ticketKeys: configured.ticketKeys });
    const admitted = await checkIn(node, { code: legacyCode });
    assert.equal(admitted.status, 200, JSON.stringify(admitted.body));
    assert.equal(admitted.body.ticketId, ticket.id);
  });
});
