import { admitTicket } from '../../db/queries/tickets';
import type { Admission } from '../../domain/ticket';
import type { ApiDeps } from '../deps';
import { invalidTicket, ticketAlreadyUsed, ticketNotFound, ticketVoided, wrongEvent } from '../errors';
import type { CheckinRequest } from '../routes/checkin/schema';
import { verifyTicketCode } from '../tickets/ticketCode';

/**
 * Admits the ticket a code names, once. Refusals, in the order they are checked: a code we did not
 * sign (400 INVALID_TICKET), a ticket for another event than the gate's (409 WRONG_EVENT), no such
 * ticket (404), a voided one (409 TICKET_VOIDED), one already used (409 ALREADY_USED, with when).
 */
export async function checkInTicket(deps: Pick<ApiDeps, 'env' | 'pool'>, scan: CheckinRequest): Promise<Admission> {
  const claims = verifyTicketCode(deps.env.ticketKeys, scan.code);
  if (!claims) throw invalidTicket();
  if (scan.eventId !== undefined && scan.eventId !== claims.eventId) throw wrongEvent(claims.eventId, scan.eventId);
  const outcome = await admitTicket(deps.pool, {
    ticketId: claims.ticketId,
    eventId: claims.eventId,
    nonce: scan.nonce ?? null,
  });
  switch (outcome.kind) {
    case 'admitted':
      return outcome.admission;
    case 'not-found':
      throw ticketNotFound(claims.ticketId);
    case 'voided':
      throw ticketVoided(claims.ticketId);
    case 'already-used':
      throw ticketAlreadyUsed(claims.ticketId, outcome.usedAt);
  }
}
