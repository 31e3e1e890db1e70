-- Refunds, the payment simulator's own records, hold extensions and the cancellation policy.

-- One refund per payment that has to be given back: money that did not buy its booking
-- (reason UNAPPLIED) or paid for a booking that was cancelled (reason CANCELLATION). The payment id
-- is the key here and the idempotency key at the provider, so a payment is refunded at most once.
-- REQUESTED: being asked for (attempts counts the tries, last_error says why the last one failed);
-- SUCCEEDED: the provider accepted it (refund_id is its id); FAILED: the provider refused it for a
-- business reason (already refunded, disputed, ...): an operator's case.
CREATE TABLE refunds (
  payment_id      text PRIMARY KEY REFERENCES payments (payment_id),
  booking_id      uuid REFERENCES bookings (id),
  amount_cents    integer NOT NULL CHECK (amount_cents >= 0),
  reason          text NOT NULL CHECK (reason IN ('UNAPPLIED', 'CANCELLATION')),
  status          text NOT NULL CHECK (status IN ('REQUESTED', 'SUCCEEDED', 'FAILED')),
  refund_id       text,
  -- The provider's own status of the refund (Stripe: pending, succeeded, ...), as it answered.
  provider_status text,
  attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'SUCCEEDED') = (refund_id IS NOT NULL))
);
CREATE INDEX refunds_booking ON refunds (booking_id);
-- Operators look for refunds that are not done.
CREATE INDEX refunds_open ON refunds (updated_at) WHERE status <> 'SUCCEEDED';

-- The payment simulator's side of a refund, as a provider would keep it: one per idempotency key.
CREATE TABLE simulated_refunds (
  refund_id        text PRIMARY KEY,
  idempotency_key  text NOT NULL UNIQUE,
  payment_id       text NOT NULL,
  amount_cents     integer NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX simulated_refunds_payment ON simulated_refunds (payment_id);

-- Faults the simulator plays on refunds, for tests and demos: the next `remaining` refunds of the
-- payment fail, as an outage (UNAVAILABLE: retried) or as a business refusal (REFUSED: not retried).
CREATE TABLE simulated_refund_faults (
  payment_id  text PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('UNAVAILABLE', 'REFUSED')),
  remaining   integer NOT NULL CHECK (remaining >= 0),
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- How many times the buyer extended the hold (the workflow enforces the limit; this shows it).
ALTER TABLE bookings ADD COLUMN hold_extensions integer NOT NULL DEFAULT 0 CHECK (hold_extensions >= 0);

-- Per-event cancellation policy: a confirmed booking may be cancelled until this many hours before
-- the event starts (always, when the event has no start time).
ALTER TABLE events ADD COLUMN cancellation_cutoff_hours integer NOT NULL DEFAULT 24
  CHECK (cancellation_cutoff_hours >= 0);

-- The cancellation saga of a confirmed booking, as the API shows it. REQUESTED while it runs;
-- COMPLETED once the booking is CANCELLED; COMPENSATED when the refund was refused and the tickets
-- were restored, the booking staying CONFIRMED (reason says why).
CREATE TABLE cancellations (
  booking_id    uuid PRIMARY KEY REFERENCES bookings (id),
  status        text NOT NULL CHECK (status IN ('REQUESTED', 'COMPLETED', 'COMPENSATED')),
  reason        text,
  requested_at  timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
