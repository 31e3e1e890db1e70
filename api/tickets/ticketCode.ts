/**
 * Ticket codes: `base64url(JSON {t, e, s, v: 2, k})` + `.` + `base64url(HMAC-SHA256(key k, first part))`.
 * `k` is the id of the key that signed the code, inside the signed part, so the signing key can be
 * rotated: every key of the keyring (TICKET_SIGNING_KEYS) verifies the codes that name it, and only
 * the signing key (TICKET_SIGNING_KEY_ID) makes new ones. Removing a key from the keyring voids the
 * codes it signed. Version-1 codes (made before keys had ids, without `k`) verify under any key of
 * the keyring, which is where their old TICKET_SIGNING_SECRET stays.
 *
 * Only the server, holding the keys, can make a code; changing any character of either part makes
 * verification fail. The code names the ticket, its event and seat; whether the ticket is still
 * VALID is the database's answer, not the code's.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { TicketClaims, TicketKeyring, TicketSigningKey } from '../../domain/ticket';

const CODE_VERSION = 2;
/** Codes made before key ids: no `k`, signed with the single TICKET_SIGNING_SECRET. */
const UNKEYED_VERSION = 1;
/** Generous: a real code is about 190 characters. Longer input is refused before any work. */
export const MAX_CODE_LENGTH = 512;

interface CodePayload {
  t: string;
  e: string;
  s: number;
  v: number;
  k?: string;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const signatureOf = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');

function signingKeyOf(keyring: TicketKeyring): TicketSigningKey {
  const key = keyring.keys.find((candidate) => candidate.kid === keyring.signingKeyId);
  if (!key) throw new Error(`The ticket keyring has no key "${keyring.signingKeyId}" to sign with`);
  return key;
}

export function signTicketCode(keyring: TicketKeyring, claims: TicketClaims): string {
  const key = signingKeyOf(keyring);
  const body: CodePayload = { t: claims.ticketId, e: claims.eventId, s: claims.seatNumber, v: CODE_VERSION, k: key.kid };
  const payload = Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
  return `${payload}.${signatureOf(key.secret, payload)}`;
}

/** The claims of a code signed with a key of the keyring, or undefined for anything forged, altered, malformed or signed with a key no longer trusted. */
export function verifyTicketCode(keyring: TicketKeyring, code: string): TicketClaims | undefined {
  if (code.length > MAX_CODE_LENGTH) return undefined;
  const parts = code.split('.');
  if (parts.length !== 2) return undefined;
  const [payload, signature] = parts;
  if (!BASE64URL.test(payload) || !BASE64URL.test(signature)) return undefined;
  const body = bodyOf(payload);
  if (!body) return undefined;
  // The key id is read before the signature is checked only to choose the key; a code that lies
  // about it fails that key's check.
  const candidates = body.v === UNKEYED_VERSION ? keyring.keys : keyring.keys.filter((key) => key.kid === body.k);
  return candidates.some((key) => signedWith(key.secret, payload, signature))
    ? { ticketId: body.t, eventId: body.e, seatNumber: body.s }
    : undefined;
}

/** Compared as the canonical text, so no second spelling of the same signature bytes is accepted. */
function signedWith(secret: string, payload: string, signature: string): boolean {
  const expected = Buffer.from(signatureOf(secret, payload), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function bodyOf(payload: string): CodePayload | undefined {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const { t, e, s, v, k } = body as Partial<Record<keyof CodePayload, unknown>>;
  if (typeof t !== 'string' || typeof e !== 'string') return undefined;
  if (!UUID.test(t) || !UUID.test(e) || typeof s !== 'number' || !Number.isInteger(s) || s < 1) return undefined;
  if (v === UNKEYED_VERSION && k === undefined) return { t, e, s, v };
  if (v === CODE_VERSION && typeof k === 'string') return { t, e, s, v, k };
  return undefined;
}
