import type { BookingResponse } from '../../api/presenters/booking';
import type { ErrorBody } from '../api/assertions';

export interface CheckoutAnswer {
  status: number;
  body: BookingResponse & ErrorBody & { details?: { bookingId?: string; retryAfterSeconds?: number } };
  retryAfter: string | null;
  elapsedMs: number;
}

/** POST /bookings, with the answer's Retry-After and how long it took (the helpers in support/http drop headers). */
export async function checkout(
  baseUrl: string,
  body: { eventId: string; userId: string; seatNumbers: number[] },
  headers: Record<string, string> = {},
): Promise<CheckoutAnswer> {
  const started = Date.now();
  const res = await fetch(`${baseUrl}/bookings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const parsed = (await res.json()) as CheckoutAnswer['body'];
  return { status: res.status, body: parsed, retryAfter: res.headers.get('retry-after'), elapsedMs: Date.now() - started };
}
