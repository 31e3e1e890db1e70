/**
 * Reads the ticket keyring from TICKET_SIGNING_KEYS (`kid:secret,kid:secret`), TICKET_SIGNING_KEY_ID
 * and the older single TICKET_SIGNING_SECRET, which keeps working as the key `default`.
 */
import type { TicketKeyring, TicketSigningKey } from '../domain/ticket';

/** The key id the single TICKET_SIGNING_SECRET is known by. */
export const SINGLE_SECRET_KEY_ID = 'default';
const KID = /^[A-Za-z0-9_-]{1,32}$/;

export function parseTicketKeys(raw: string): TicketSigningKey[] {
  const keys: TicketSigningKey[] = [];
  for (const entry of raw.split(',')) {
    const separator = entry.indexOf(':');
    const kid = separator < 0 ? '' : entry.slice(0, separator).trim();
    const secret = separator < 0 ? '' : entry.slice(separator + 1).trim();
    if (!KID.test(kid) || secret === '') {
      throw new Error(
        'Configuration: TICKET_SIGNING_KEYS must be a comma-separated list of kid:secret pairs ' +
          '(kid: 1-32 letters, digits, "_" or "-"; the secret must not contain a comma), ' +
          `got an entry "${entry.length > 12 ? `${entry.slice(0, 12)}…` : entry}"`,
      );
    }
    if (keys.some((key) => key.kid === kid)) {
      throw new Error(`Configuration: TICKET_SIGNING_KEYS lists the key id "${kid}" twice`);
    }
    keys.push({ kid, secret });
  }
  return keys;
}

/**
 * The keys from TICKET_SIGNING_KEYS, plus TICKET_SIGNING_SECRET (or its development default when
 * neither is set) as the key `default`. With one key it signs; with several, TICKET_SIGNING_KEY_ID
 * must say which.
 */
export function ticketKeyringOf(input: {
  keysList: string | undefined;
  singleSecret: string | undefined;
  signingKeyId: string | undefined;
  developmentSecret: string;
}): TicketKeyring {
  const keys = input.keysList === undefined ? [] : parseTicketKeys(input.keysList);
  if (input.singleSecret !== undefined || keys.length === 0) {
    if (keys.some((key) => key.kid === SINGLE_SECRET_KEY_ID)) {
      throw new Error(
        `Configuration: TICKET_SIGNING_KEYS has a key "${SINGLE_SECRET_KEY_ID}", the id TICKET_SIGNING_SECRET is known by: ` +
          'rename that key or unset TICKET_SIGNING_SECRET',
      );
    }
    keys.push({ kid: SINGLE_SECRET_KEY_ID, secret: input.singleSecret ?? input.developmentSecret });
  }
  if (input.signingKeyId === undefined) {
    if (keys.length > 1) {
      throw new Error(
        `Configuration: TICKET_SIGNING_KEY_ID must name the key that signs new tickets when several are trusted (${keys
          .map((key) => key.kid)
          .join(', ')})`,
      );
    }
    return { keys, signingKeyId: keys[0].kid };
  }
  if (!keys.some((key) => key.kid === input.signingKeyId)) {
    throw new Error(
      `Configuration: TICKET_SIGNING_KEY_ID "${input.signingKeyId}" is not one of the ticket keys (${keys
        .map((key) => key.kid)
        .join(', ')})`,
    );
  }
  return { keys, signingKeyId: input.signingKeyId };
}
