-- Tickets: one per seat of a confirmed booking, issued in the transaction that confirms it. A ticket
-- admits once (VALID → USED); cancelling the booking voids it (VALID → VOIDED), and the cancellation
-- saga's compensation may restore it (VOIDED → VALID).
CREATE TABLE tickets (
  id          uuid PRIMARY KEY,
  booking_id  uuid NOT NULL REFERENCES bookings (id),
  event_id    uuid NOT NULL REFERENCES events (id),
  seat_number integer NOT NULL CHECK (seat_number > 0),
  status      text NOT NULL DEFAULT 'VALID' CHECK (status IN ('VALID', 'VOIDED', 'USED')),
  issued_at   timestamptz NOT NULL DEFAULT now(),
  -- The first (and only) admission: when, and the scanner's nonce, so a retried scan answers the same.
  used_at     timestamptz,
  used_nonce  text,
  voided_at   timestamptz,
  -- A booking has one ticket per seat, so a retried issue finds it instead of adding another.
  UNIQUE (booking_id, seat_number),
  CHECK ((status = 'USED') = (used_at IS NOT NULL)),
  CHECK ((status = 'VOIDED') = (voided_at IS NOT NULL))
);
-- A seat has at most one live ticket: a resold seat's new ticket needs the old one voided first.
CREATE UNIQUE INDEX tickets_one_live_per_seat ON tickets (event_id, seat_number) WHERE status <> 'VOIDED';
CREATE INDEX tickets_booking ON tickets (booking_id);

-- Bookings confirmed before tickets existed get theirs now.
INSERT INTO tickets (id, booking_id, event_id, seat_number, issued_at)
SELECT gen_random_uuid(), b.id, b.event_id, seat, b.updated_at
  FROM bookings b, unnest(b.seat_numbers) AS seat
 WHERE b.status = 'CONFIRMED';
