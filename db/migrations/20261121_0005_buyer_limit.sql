-- A per-event limit of seats per buyer, across all of that buyer's live bookings for the event.
ALTER TABLE events ADD COLUMN max_seats_per_buyer integer CHECK (max_seats_per_buyer > 0);

-- Why a hold was refused, in the error code the buyer was answered, so a retried request (or a
-- retried activity) answers the same: SEAT_UNAVAILABLE (see rejected_seats) or BUYER_LIMIT_EXCEEDED.
ALTER TABLE bookings ADD COLUMN rejection_reason text
  CHECK (rejection_reason IN ('SEAT_UNAVAILABLE', 'BUYER_LIMIT_EXCEEDED'));
UPDATE bookings SET rejection_reason = 'SEAT_UNAVAILABLE' WHERE status = 'REJECTED';

-- A buyer's bookings: the limit counts them per event, and GET /users/me/bookings lists them.
CREATE INDEX bookings_user_event ON bookings (user_id, event_id);

-- hold_seats as in 20261121_0002_seat_changes.sql, plus the buyer limit: when the event has one, the
-- buyer's holds on it are serialised by a transaction advisory lock on (event, user) (the two-key
-- space, apart from the single-key locks of migrations and the realtime relay), taken before any seat
-- is locked; then the seats of the buyer's HELD and CONFIRMED bookings are counted, and a hold that
-- would go over the limit is refused, holding nothing, and recorded as a REJECTED booking with its
-- reason. Returns, besides the earlier kinds, {kind: 'limit', limit, requested};
-- {kind: 'existing', ...} now also carries rejection_reason and the event's limit.
CREATE OR REPLACE FUNCTION hold_seats(
  p_booking_id uuid, p_event_id uuid, p_user_id text, p_seats integer[], p_expires_at timestamptz, p_idempotency_key text
) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_price integer;
  v_limit integer;
  v_live integer;
  v_found integer;
  v_taken integer[];
  v_amount integer;
  v_existing bookings%ROWTYPE;
BEGIN
  SELECT * INTO v_existing FROM bookings WHERE id = p_booking_id;
  IF FOUND THEN
    RETURN jsonb_build_object('kind', 'existing', 'status', v_existing.status, 'amount_cents', v_existing.amount_cents,
                              'expires_at', v_existing.expires_at, 'rejected_seats', to_jsonb(v_existing.rejected_seats),
                              'rejection_reason', v_existing.rejection_reason,
                              'limit', (SELECT max_seats_per_buyer FROM events WHERE id = v_existing.event_id));
  END IF;
  SELECT price_cents, max_seats_per_buyer INTO v_price, v_limit FROM events WHERE id = p_event_id;
  IF NOT FOUND THEN
    RETURN jsonb_build_object('kind', 'invalid', 'message', format('event %s does not exist', p_event_id));
  END IF;
  v_amount := v_price * cardinality(p_seats);

  IF v_limit IS NOT NULL THEN
    PERFORM pg_advisory_xact_lock(hashtext(p_event_id::text), hashtext(p_user_id));
    -- A new statement, so a new snapshot: it sees every hold of this buyer committed before the lock was ours.
    SELECT coalesce(sum(cardinality(seat_numbers)), 0) INTO v_live
      FROM bookings
     WHERE user_id = p_user_id AND event_id = p_event_id AND status IN ('HELD', 'CONFIRMED');
    IF v_live + cardinality(p_seats) > v_limit THEN
      INSERT INTO bookings (id, event_id, user_id, seat_numbers, status, amount_cents, expires_at, idempotency_key,
                            rejection_reason)
      VALUES (p_booking_id, p_event_id, p_user_id, p_seats, 'REJECTED', v_amount, p_expires_at, p_idempotency_key,
              'BUYER_LIMIT_EXCEEDED');
      RETURN jsonb_build_object('kind', 'limit', 'limit', v_limit, 'requested', cardinality(p_seats));
    END IF;
  END IF;

  SELECT count(*), coalesce(array_agg(seat_number ORDER BY seat_number) FILTER (WHERE status <> 'AVAILABLE'), '{}')
    INTO v_found, v_taken
    FROM (SELECT seat_number, status FROM seats
           WHERE event_id = p_event_id AND seat_number = ANY (p_seats)
           ORDER BY seat_number FOR UPDATE) locked;
  IF v_found <> (SELECT count(DISTINCT s) FROM unnest(p_seats) AS s) THEN
    RETURN jsonb_build_object('kind', 'invalid', 'message', 'some seat numbers do not exist for this event');
  END IF;

  IF cardinality(v_taken) > 0 THEN
    INSERT INTO bookings (id, event_id, user_id, seat_numbers, status, amount_cents, expires_at, idempotency_key,
                          rejected_seats, rejection_reason)
    VALUES (p_booking_id, p_event_id, p_user_id, p_seats, 'REJECTED', v_amount, p_expires_at, p_idempotency_key, v_taken,
            'SEAT_UNAVAILABLE');
    RETURN jsonb_build_object('kind', 'unavailable', 'seats', to_jsonb(v_taken));
  END IF;

  INSERT INTO bookings (id, event_id, user_id, seat_numbers, status, amount_cents, expires_at, idempotency_key)
  VALUES (p_booking_id, p_event_id, p_user_id, p_seats, 'HELD', v_amount, p_expires_at, p_idempotency_key);
  UPDATE seats SET status = 'HELD', booking_id = p_booking_id, hold_expires_at = p_expires_at, updated_at = now()
   WHERE event_id = p_event_id AND seat_number = ANY (p_seats);
  PERFORM record_seat_change(p_event_id,
    (SELECT jsonb_agg(jsonb_build_object('seat_id', s, 'status', 'HELD') ORDER BY s) FROM unnest(p_seats) AS s));
  RETURN jsonb_build_object('kind', 'held', 'amount_cents', v_amount);
END;
$$;
