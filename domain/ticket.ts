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
