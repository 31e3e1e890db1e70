import { createHash } from 'node:crypto';

/**
 * The booking id an Idempotency-Key stands for. The same user and key always give the same id, so
 * every retry lands on the same workflow; different users cannot collide on one key.
 */
export function idempotentBookingId(userId: string, idempotencyKey: string): string {
  const hex = createHash('sha256').update(`${userId}\u0000${idempotencyKey}`).digest('hex');
  // Shaped as an RFC 4122 name-based UUID (version 5 bits, variant 10).
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
