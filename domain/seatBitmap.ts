/**
 * The compact seat map: 2 bits per seat, four seats per byte, seat 1 in the lowest two bits of
 * byte 0; seat n sits in bits 2*((n-1)%4) of byte floor((n-1)/4). Bits past the last seat are 0.
 * Pure (no Buffer), so the seat-map page bundles it as the server uses it.
 */

/** The 2-bit code of each status. Any other status (a seat not for sale, blocked, killed) is 3. */
export const SEAT_CODES = { AVAILABLE: 0, HELD: 1, BOOKED: 2 } as const;
export const NOT_FOR_SALE_CODE = 3;
export type SeatCode = 0 | 1 | 2 | 3;

/** What a decoded seat is: a known sale status, or not for sale. */
export type DecodedSeatStatus = 'AVAILABLE' | 'HELD' | 'BOOKED' | 'NOT_FOR_SALE';
const DECODED: readonly DecodedSeatStatus[] = ['AVAILABLE', 'HELD', 'BOOKED', 'NOT_FOR_SALE'];

export function seatCodeOf(status: string): SeatCode {
  switch (status) {
    case 'AVAILABLE':
      return SEAT_CODES.AVAILABLE;
    case 'HELD':
      return SEAT_CODES.HELD;
    case 'BOOKED':
      return SEAT_CODES.BOOKED;
    default:
      return NOT_FOR_SALE_CODE;
  }
}

/** How a seat with this database status reads back from a compact map (BLOCKED and the like: NOT_FOR_SALE). */
export function decodedStatusOf(status: string): DecodedSeatStatus {
  return DECODED[seatCodeOf(status)];
}

export function seatMapByteLength(totalSeats: number): number {
  return Math.ceil(totalSeats / 4);
}

/** A map of `totalSeats` seats, all available. */
export function emptySeatMap(totalSeats: number): Uint8Array {
  return new Uint8Array(seatMapByteLength(totalSeats));
}

function position(bitmap: Uint8Array, seatNumber: number): { byte: number; shift: number } {
  const byte = Math.floor((seatNumber - 1) / 4);
  if (!Number.isInteger(seatNumber) || seatNumber < 1 || byte >= bitmap.length) {
    throw new RangeError(`seat ${seatNumber} is outside a map of ${bitmap.length * 4} seats`);
  }
  return { byte, shift: 2 * ((seatNumber - 1) % 4) };
}

export function setSeat(bitmap: Uint8Array, seatNumber: number, status: string): void {
  const { byte, shift } = position(bitmap, seatNumber);
  bitmap[byte] = (bitmap[byte] & ~(3 << shift)) | (seatCodeOf(status) << shift);
}

// How many of a byte's four 2-bit seats are 0 (AVAILABLE).
const AVAILABLE_IN_BYTE = Uint8Array.from({ length: 256 }, (_, b) => {
  let n = 0;
  for (let shift = 0; shift < 8; shift += 2) if (((b >> shift) & 3) === 0) n++;
  return n;
});

/** How many of the map's first `totalSeats` seats are available (the bits past the last seat are 0 and not counted). */
export function countAvailable(bitmap: Uint8Array, totalSeats: number): number {
  let available = 0;
  for (let i = 0; i < bitmap.length; i++) available += AVAILABLE_IN_BYTE[bitmap[i]];
  return available - (bitmap.length * 4 - totalSeats);
}

export function seatCodeAt(bitmap: Uint8Array, seatNumber: number): SeatCode {
  const { byte, shift } = position(bitmap, seatNumber);
  return ((bitmap[byte] >> shift) & 3) as SeatCode;
}

export function seatStatusAt(bitmap: Uint8Array, seatNumber: number): DecodedSeatStatus {
  return DECODED[seatCodeAt(bitmap, seatNumber)];
}

/** Encodes seats 1..totalSeats; seats not listed are available. */
export function encodeSeatMap(totalSeats: number, seats: Iterable<{ seat_id: number; status: string }>): Uint8Array {
  const bitmap = emptySeatMap(totalSeats);
  for (const seat of seats) setSeat(bitmap, seat.seat_id, seat.status);
  return bitmap;
}

/** Every seat's status, index 0 holding seat 1. */
export function decodeSeatMap(bitmap: Uint8Array, totalSeats: number): DecodedSeatStatus[] {
  if (seatMapByteLength(totalSeats) > bitmap.length) {
    throw new RangeError(`a map of ${bitmap.length} bytes cannot hold ${totalSeats} seats`);
  }
  const statuses = new Array<DecodedSeatStatus>(totalSeats);
  for (let i = 0; i < totalSeats; i++) statuses[i] = DECODED[(bitmap[i >> 2] >> (2 * (i & 3))) & 3];
  return statuses;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUE = new Map([...BASE64].map((c, i) => [c, i]));

/** Standard base64 with padding (RFC 4648), for the JSON snapshots. */
export function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i];
    const b = i + 1 < bytes.length ? bytes[i + 1] : 0;
    const c = i + 2 < bytes.length ? bytes[i + 2] : 0;
    const n = (a << 16) | (b << 8) | c;
    out += BASE64[(n >> 18) & 63] + BASE64[(n >> 12) & 63];
    out += i + 1 < bytes.length ? BASE64[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? BASE64[n & 63] : '=';
  }
  return out;
}

export function fromBase64(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new Error('base64 length is not a multiple of 4');
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((text.length / 4) * 3 - padding);
  let at = 0;
  for (let i = 0; i < text.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const c = text[i + j];
      const v = c === '=' ? 0 : BASE64_VALUE.get(c);
      if (v === undefined) throw new Error(`not base64: ${JSON.stringify(c)}`);
      n = (n << 6) | v;
    }
    if (at < bytes.length) bytes[at++] = (n >> 16) & 255;
    if (at < bytes.length) bytes[at++] = (n >> 8) & 255;
    if (at < bytes.length) bytes[at++] = n & 255;
  }
  return bytes;
}
