import type { TicketKeyring, TicketRecord, TicketStatus } from '../../domain/ticket';
import { signTicketCode } from '../tickets/ticketCode';
import { ticketQr, type TicketQr } from '../tickets/ticketQr';

/** A ticket as its holder gets it: the signed code to show at the gate, and that code as a QR image. */
export interface TicketResponse {
  id: string;
  seatNumber: number;
  status: TicketStatus;
  issuedAt: string;
  usedAt: string | null;
  voidedAt: string | null;
  code: string;
  qr: TicketQr;
}

export async function presentTicket(keyring: TicketKeyring, ticket: TicketRecord): Promise<TicketResponse> {
  const code = signTicketCode(keyring, { ticketId: ticket.id, eventId: ticket.eventId, seatNumber: ticket.seatNumber });
  return {
    id: ticket.id,
    seatNumber: ticket.seatNumber,
    status: ticket.status,
    issuedAt: ticket.issuedAt,
    usedAt: ticket.usedAt,
    voidedAt: ticket.voidedAt,
    code,
    qr: await ticketQr(code),
  };
}
