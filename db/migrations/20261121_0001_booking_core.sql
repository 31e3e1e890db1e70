-- Events, their numbered seats, bookings and the payments applied to or owed back on them.
CREATE TABLE events (
  id                    uuid PRIMARY KEY,
  name                  text NOT NULL,
  total_seats           integer NOT NULL CHECK (total_seats > 0),
  price_cents           integer NOT NULL DEFAULT 0 CHECK (price_cents >= 0),
  hold_seconds          integer NOT NULL DEFAULT 300 CHECK (hold_seconds > 0),
  max_seats_per_booking integer NOT NULL DEFAULT 10 CHECK (max_seats_per_booking > 0),
  starts_at             timestamptz,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE bookings (
  id               uuid PRIMARY KEY,
  event_id         uuid NOT NULL REFERENCES events (id),
  user_id          text NOT NULL,
  seat_numbers     integer[] NOT NULL,
  status           text NOT NULL CHECK (status IN ('HELD', 'CONFIRMED', 'EXPIRED', 'CANCELLED', 'REJECTED')),
  amount_cents     integer NOT NULL CHECK (amount_cents >= 0),
  expires_at       timestamptz NOT NULL,
  idempotency_key  text,
  -- Seats that were taken when the hold was refused, so a retried hold answers the same.
  rejected_seats   integer[],
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bookings_event_status ON bookings (event_id, status);
-- The backstop scans live holds by expiry.
CREATE INDEX bookings_held_expiry ON bookings (expires_at) WHERE status = 'HELD';

-- One row per seat; availability is derived from these rows, so no counter row serialises a hot event.
CREATE TABLE seats (
  event_id        uuid NOT NULL REFERENCES events (id),
  seat_number     integer NOT NULL CHECK (seat_number > 0),
  status          text NOT NULL DEFAULT 'AVAILABLE' CHECK (status IN ('AVAILABLE', 'HELD', 'BOOKED')),
  booking_id      uuid REFERENCES bookings (id),
  hold_expires_at timestamptz,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (event_id, seat_number),
  -- A seat is taken by exactly one booking or by none.
  CHECK ((status = 'AVAILABLE') = (booking_id IS NULL)),
  CHECK ((status = 'HELD') = (hold_expires_at IS NOT NULL))
);
CREATE INDEX seats_event_status ON seats (event_id, status);
CREATE INDEX seats_booking ON seats (booking_id) WHERE booking_id IS NOT NULL;

-- Money received. The primary key is the provider's payment id, so a payment is applied once.
CREATE TABLE payments (
  payment_id        text PRIMARY KEY,
  booking_id        uuid REFERENCES bookings (id),
  amount_cents      integer NOT NULL,
  disposition       text NOT NULL CHECK (disposition IN ('APPLIED', 'OWED_BACK')),
  provider_event_id text,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payments_booking ON payments (booking_id);
-- At most one payment is applied to a booking.
CREATE UNIQUE INDEX payments_one_applied ON payments (booking_id) WHERE disposition = 'APPLIED';

-- Every webhook delivery we accepted, so duplicates are recognised and nothing received is lost.
CREATE TABLE payment_events (
  id            text PRIMARY KEY,
  type          text NOT NULL,
  booking_id    text,
  payload       jsonb NOT NULL,
  received_at   timestamptz NOT NULL DEFAULT now(),
  processed_at  timestamptz
);
