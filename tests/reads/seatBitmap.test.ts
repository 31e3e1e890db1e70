import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import {
  countAvailable,
  decodeSeatMap,
  emptySeatMap,
  encodeSeatMap,
  fromBase64,
  seatCodeAt,
  seatCodeOf,
  seatMapByteLength,
  seatStatusAt,
  setSeat,
  toBase64,
} from '../../domain/seatBitmap';

describe('the 2-bit seat map codec', () => {
  test('puts seat n in bits 2*((n-1)%4) of byte floor((n-1)/4)', () => {
    const bitmap = encodeSeatMap(9, [
      { seat_id: 1, status: 'HELD' },
      { seat_id: 2, status: 'BOOKED' },
      { seat_id: 4, status: 'BLOCKED' },
      { seat_id: 5, status: 'BOOKED' },
      { seat_id: 9, status: 'HELD' },
    ]);
    assert.equal(bitmap.length, 3);
    // Byte 0: seat 1 = 01, seat 2 = 10 (<<2), seat 3 = 00, seat 4 = 11 (<<6).
    assert.equal(bitmap[0], 0b11_00_10_01);
    assert.equal(bitmap[1], 0b00_00_00_10);
    assert.equal(bitmap[2], 0b00_00_00_01);
  });

  test('codes AVAILABLE 0, HELD 1, BOOKED 2 and any other status (a future BLOCKED) 3', () => {
    assert.deepEqual(['AVAILABLE', 'HELD', 'BOOKED', 'BLOCKED', 'KILLED', 'toString'].map(seatCodeOf), [0, 1, 2, 3, 3, 3]);
  });

  test('decodes what it encoded, seat by seat, and leaves unlisted seats available', () => {
    const statuses = ['AVAILABLE', 'HELD', 'BOOKED', 'BLOCKED'];
    const seats = Array.from({ length: 1001 }, (_, i) => ({ seat_id: i + 1, status: statuses[(i * 7) % 4] }));
    const bitmap = encodeSeatMap(1001, seats.filter((s) => s.status !== 'AVAILABLE'));
    const decoded = decodeSeatMap(bitmap, 1001);
    assert.deepEqual(
      decoded,
      seats.map((s) => (s.status === 'BLOCKED' ? 'NOT_FOR_SALE' : s.status)),
    );
    assert.equal(seatStatusAt(bitmap, 1001), decoded[1000]);
  });

  test('setSeat changes only its own seat, back and forth', () => {
    const bitmap = emptySeatMap(8);
    setSeat(bitmap, 6, 'BOOKED');
    setSeat(bitmap, 7, 'HELD');
    setSeat(bitmap, 6, 'AVAILABLE');
    assert.deepEqual([...Array(8)].map((_, i) => seatCodeAt(bitmap, i + 1)), [0, 0, 0, 0, 0, 0, 1, 0]);
  });

  test('refuses seats outside the map', () => {
    const bitmap = emptySeatMap(4);
    assert.throws(() => setSeat(bitmap, 0, 'HELD'), RangeError);
    assert.throws(() => setSeat(bitmap, 5, 'HELD'), RangeError);
    assert.throws(() => seatCodeAt(bitmap, 1.5), RangeError);
    assert.throws(() => decodeSeatMap(bitmap, 5), RangeError);
  });

  test('a 100,000-seat map is 25,000 bytes', () => {
    assert.equal(seatMapByteLength(100_000), 25_000);
    assert.equal(seatMapByteLength(1), 1);
    assert.equal(seatMapByteLength(5), 2);
  });

  test('base64 matches Node for every length remainder and round-trips', () => {
    for (const length of [0, 1, 2, 3, 4, 5, 250]) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + 11) & 255);
      const text = toBase64(bytes);
      assert.equal(text, Buffer.from(bytes).toString('base64'));
      assert.deepEqual(fromBase64(text), bytes);
    }
    assert.throws(() => fromBase64('abc'));
    assert.throws(() => fromBase64('ab!d'));
  });

  test('countAvailable counts the available seats of every map length, not the padding past the last seat', () => {
    for (const totalSeats of [1, 2, 3, 4, 5, 7, 8, 9, 1001]) {
      const bitmap = emptySeatMap(totalSeats);
      assert.equal(countAvailable(bitmap, totalSeats), totalSeats, `${totalSeats} seats, all available`);
      const statuses = ['HELD', 'BOOKED', 'BLOCKED', 'AVAILABLE'];
      for (let seat = 1; seat <= totalSeats; seat += 2) setSeat(bitmap, seat, statuses[seat % 4]);
      const expected = decodeSeatMap(bitmap, totalSeats).filter((s) => s === 'AVAILABLE').length;
      assert.equal(countAvailable(bitmap, totalSeats), expected, `${totalSeats} seats, some taken`);
    }
  });
});
