-- Checkout's deadline (20261129_0301) for the holds venues added (20261129_0701): priced seats,
-- best available and general admission. Both migrations rewrote the rejection reasons; this one
-- allows all of them.
ALTER TABLE bookings DROP CONSTRAINT bookings_rejection_reason_check;
ALTER TABLE bookings ADD CONSTRAINT bookings_rejection_reason_check
  CHECK (rejection_reason IN ('SEAT_UNAVAILABLE', 'BUYER_LIMIT_EXCEEDED', 'DEADLINE_PASSED', 'NOT_ENOUGH_SEATS'));

-- After p_hold_by (by the database's clock) and before any decision for this booking id: records it
-- REJECTED with DEADLINE_PASSED, which every hold function answers as an earlier decision.
CREATE FUNCTION refuse_late_hold(
  p_booking_id uuid, p_event_id uuid, p_user_id text, p_seats integer[], p_idempotency_key text, p_hold_by timestamptz
) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO bookings (id, event_id, user_id, seat_numbers, status, amount_cents, expires_at, idempotency_key,
                        rejection_reason)
  SELECT p_booking_id, p_event_id, p_user_id, p_seats, 'REJECTED', e.price_cents * cardinality(p_seats), now(),
         p_idempotency_key, 'DEADLINE_PASSED'
    FROM events e
   WHERE e.id = p_event_id AND p_hold_by IS NOT NULL AND clock_timestamp() > p_hold_by
  ON CONFLICT (id) DO NOTHING;
$$;

-- hold_priced_seats with checkout's deadline.
CREATE FUNCTION hold_priced_seats(
  p_booking_id uuid, p_event_id uuid, p_user_id text, p_seats integer[], p_expires_at timestamptz, p_idempotency_key text,
  p_hold_by timestamptz
) RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refuse_late_hold(p_booking_id, p_event_id, p_user_id, p_seats, p_idempotency_key, p_hold_by);
  RETURN hold_priced_seats(p_booking_id, p_event_id, p_user_id, p_seats, p_expires_at, p_idempotency_key);
END;
$$;

-- hold_best_available (best available seats and GA places) with checkout's deadline.
CREATE FUNCTION hold_best_available(
  p_booking_id uuid, p_event_id uuid, p_user_id text, p_quantity integer, p_category text, p_section text,
  p_area text, p_expires_at timestamptz, p_idempotency_key text, p_hold_by timestamptz
) RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refuse_late_hold(p_booking_id, p_event_id, p_user_id, '{}', p_idempotency_key, p_hold_by);
  RETURN hold_best_available(p_booking_id, p_event_id, p_user_id, p_quantity, p_category, p_section, p_area,
                             p_expires_at, p_idempotency_key);
END;
$$;
