/**
 * Ticket codes: `base64url(JSON {t, e, s, v: 1})` + `.` + `base64url(HMAC-SHA256(secret, first part))`.
 * Only the server, holding TICKET_SIGNING_SECRET, can make one; changing any character of either
 * part makes verification fail. The code names the ticket, its event and seat; whether the ticket
 * is still VALID is the database's answer, not the code's.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { TicketClaims } from '../../domain/ticket';

const CODE_VERSION = 1;
/** Generous: a real code is about 170 characters. Longer input is refused before any work. */
export const MAX_CODE_LENGTH = 512;

interface CodePayload {
  t: string;
  e: string;
  s: number;
  v: number;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const signatureOf = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');

export function signTicketCode(secret: string, claims: TicketClaims): string {
  const body: CodePayload = { t: claims.ticketId, e: claims.eventId, s: claims.seatNumber, v: CODE_VERSION };
  const payload = Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
  return `${payload}.${signatureOf(secret, payload)}`;
}

/** The claims of a code this server signed, or undefined for anything forged, altered or malformed. */
export function verifyTicketCode(secret: string, code: string): TicketClaims | undefined {
  if (code.length > MAX_CODE_LENGTH) return undefined;
  const parts = code.split('.');
  if (parts.length !== 2) return undefined;
  const [payload, signature] = parts;
  if (!BASE64URL.test(payload) || !BASE64URL.test(signature)) return undefined;
  // Compared as the canonical text, so no second spelling of the same signature bytes is accepted.
  const expected = Buffer.from(signatureOf(secret, payload), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return claimsOf(payload);
}

function claimsOf(payload: string): TicketClaims | undefined {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const { t, e, s, v } = body as Partial<Record<keyof CodePayload, unknown>>;
  if (v !== CODE_VERSION || typeof t !== 'string' || typeof e !== 'string') return undefined;
  if (!UUID.test(t) || !UUID.test(e) || typeof s !== 'number' || !Number.isInteger(s) || s < 1) return undefined;
  return { ticketId: t, eventId: e, seatNumber: s };
}
