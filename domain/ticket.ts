/** One ticket per seat of a confirmed booking. VALID admits once (→ USED); a cancellation voids it. */
export const TICKET_STATUSES = ['VALID', 'VOIDED', 'USED'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export interface TicketRecord {
  id: string;
  bookingId: string;
  eventId: string;
  seatNumber: number;
  status: TicketStatus;
  issuedAt: string;
  usedAt: string | null;
  voidedAt: string | null;
}

/** What a signed ticket code says (and all the gate needs to know before asking the database). */
export interface TicketClaims {
  ticketId: string;
  eventId: string;
  seatNumber: number;
}

/** The gate's answer for an admitted ticket; a retried scan with the same nonce gets it again. */
export interface Admission {
  admitted: true;
  ticketId: string;
  seatNumber: number;
  eventId: string;
  usedAt: string;
}

/** A secret that signs or verifies ticket codes, named by the key id (`kid`) that codes carry. */
export interface TicketSigningKey {
  kid: string;
  secret: string;
}

/**
 * The ticket keys in force: every key listed verifies codes that name it (so rotating the signing
 * key does not void tickets already sold); the one named `signingKeyId` signs new codes.
 */
export interface TicketKeyring {
  keys: TicketSigningKey[];
  signingKeyId: string;
}
