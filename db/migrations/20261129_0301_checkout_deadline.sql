-- Checkout's deadline. The API gives up on a hold it could not get in time (Temporal unreachable,
-- no worker) and answers 503; a hold made after that would be one the buyer was told failed. Two
-- guards keep that from happening:
--  * the API fences the booking id when it gives up: a REJECTED row with rejection_reason
--    DEADLINE_PASSED (fence_checkout below), which any later hold of that id finds and answers;
--  * the workflow passes the deadline to hold_seats, which refuses to hold after it by the
--    database's clock (for when the API could not write the fence).
ALTER TABLE bookings DROP CONSTRAINT bookings_rejection_reason_check;
ALTER TABLE bookings ADD CONSTRAINT bookings_rejection_reason_check
  CHECK (rejection_reason IN ('SEAT_UNAVAILABLE', 'BUYER_LIMIT_EXCEEDED', 'DEADLINE_PASSED'));

-- Records that checkout gave up on this booking id, unless a hold of it was made first (the insert
-- waits for a hold still committing). Returns the booking's status and reason afterwards: REJECTED
-- with DEADLINE_PASSED when the fence is ours, or whatever the hold decided.
CREATE FUNCTION fence_checkout(
  p_booking_id uuid, p_event_id uuid, p_user_id text, p_seats integer[], p_idempotency_key text
) RETURNS TABLE (status text, rejection_reason text)
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO bookings (id, event_id, user_id, seat_numbers, status, amount_cents, expires_at, idempotency_key,
                        rejection_reason)
  SELECT p_booking_id, p_event_id, p_user_id, p_seats, 'REJECTED', e.price_cents * cardinality(p_seats), now(),
         p_idempotency_key, 'DEADLINE_PASSED'
    FROM events e WHERE e.id = p_event_id
  ON CONFLICT (id) DO NOTHING;
  RETURN QUERY SELECT b.status, b.rejection_reason FROM bookings b WHERE b.id = p_booking_id;
END;
$$;

-- hold_seats with a deadline: after p_hold_by (by the database's clock) it holds nothing, records
-- the booking REJECTED with DEADLINE_PASSED and returns {kind: 'deadline'}. An earlier decision for
-- this id (a hold, a refusal, the API's fence) is answered first, as before. Otherwise it is the
-- six-argument hold_seats of 20261121_0005_buyer_limit.sql, which older workers keep calling.
CREATE FUNCTION hold_seats(
  p_booking_id uuid, p_event_id uuid, p_user_id text, p_seats integer[], p_expires_at timestamptz, p_idempotency_key text,
  p_hold_by timestamptz
) RETURNS jsonb
LANGUAGE plpgsql AS $$
BEGIN
  IF p_hold_by IS NOT NULL AND clock_timestamp() > p_hold_by
     AND NOT EXISTS (SELECT 1 FROM bookings WHERE id = p_booking_id) THEN
    INSERT INTO bookings (id, event_id, user_id, seat_numbers, status, amount_cents, expires_at, idempotency_key,
                          rejection_reason)
    SELECT p_booking_id, p_event_id, p_user_id, p_seats, 'REJECTED', e.price_cents * cardinality(p_seats), now(),
           p_idempotency_key, 'DEADLINE_PASSED'
      FROM events e WHERE e.id = p_event_id
    ON CONFLICT (id) DO NOTHING;
  END IF;
  RETURN hold_seats(p_booking_id, p_event_id, p_user_id, p_seats, p_expires_at, p_idempotency_key);
END;
$$;
