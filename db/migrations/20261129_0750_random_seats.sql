-- Random seat allocation: POST /bookings {quantity, random: true} holds `quantity` free seats drawn
-- at random from the category/section asked for (not necessarily adjacent). Same concurrency scheme
-- as hold_best_available: lock the drawn seats FOR UPDATE SKIP LOCKED (no event-wide lock), hold them
-- with hold_priced_seats, look again a bounded number of times while enough seats are free.
CREATE FUNCTION hold_random_seats(
  p_booking_id uuid, p_event_id uuid, p_user_id text, p_quantity integer, p_category text, p_section text,
  p_expires_at timestamptz, p_idempotency_key text, p_hold_by timestamptz
) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_existing bookings%ROWTYPE;
  v_seats integer[];
  v_free integer;
  v_round integer := 0;
BEGIN
  PERFORM refuse_late_hold(p_booking_id, p_event_id, p_user_id, '{}', p_idempotency_key, p_hold_by);
  -- A retried activity answers the seats it drew the first time, not a new draw.
  SELECT * INTO v_existing FROM bookings WHERE id = p_booking_id;
  IF FOUND THEN
    IF v_existing.rejection_reason = 'NOT_ENOUGH_SEATS' THEN
      RETURN jsonb_build_object('kind', 'not_enough', 'available', 0);
    END IF;
    RETURN hold_priced_seats(p_booking_id, p_event_id, p_user_id, v_existing.seat_numbers, p_expires_at, p_idempotency_key)
           || jsonb_build_object('seat_numbers', to_jsonb(v_existing.seat_numbers));
  END IF;
  PERFORM 1 FROM events WHERE id = p_event_id;
  IF NOT FOUND THEN
    RETURN jsonb_build_object('kind', 'invalid', 'message', format('event %s does not exist', p_event_id));
  END IF;

  LOOP
    v_round := v_round + 1;
    BEGIN
      -- Seats locked by holds in flight are skipped, not waited for; FOR UPDATE re-checks the status.
      SELECT array_agg(seat_number ORDER BY seat_number) INTO v_seats
        FROM (SELECT seat_number FROM seats
               WHERE event_id = p_event_id AND NOT is_ga AND status = 'AVAILABLE'
                 AND (p_category IS NULL OR coalesce(category, 'standard') = p_category)
                 AND (p_section IS NULL OR coalesce(section, 'Main') = p_section)
               ORDER BY random()
               LIMIT p_quantity FOR UPDATE SKIP LOCKED) got;
      -- Short: roll the partial locks back, so no other buyer skips seats we do not take.
      IF coalesce(cardinality(v_seats), 0) < p_quantity THEN RAISE EXCEPTION USING ERRCODE = 'SF001'; END IF;
    EXCEPTION WHEN SQLSTATE 'SF001' THEN
      v_seats := NULL;
    END;
    EXIT WHEN v_seats IS NOT NULL;

    SELECT count(*) INTO v_free FROM seats
     WHERE event_id = p_event_id AND status = 'AVAILABLE' AND NOT is_ga
       AND (p_category IS NULL OR coalesce(category, 'standard') = p_category)
       AND (p_section IS NULL OR coalesce(section, 'Main') = p_section);
    IF v_free < p_quantity OR v_round >= 200 THEN
      INSERT INTO bookings (id, event_id, user_id, seat_numbers, status, amount_cents, expires_at, idempotency_key,
                            rejection_reason)
      VALUES (p_booking_id, p_event_id, p_user_id, '{}', 'REJECTED', 0, p_expires_at, p_idempotency_key,
              'NOT_ENOUGH_SEATS');
      RETURN jsonb_build_object('kind', 'not_enough', 'available', v_free);
    END IF;
    PERFORM pg_sleep(0.001 + random() * 0.004 * least(v_round, 10));
  END LOOP;

  RETURN hold_priced_seats(p_booking_id, p_event_id, p_user_id, v_seats, p_expires_at, p_idempotency_key)
         || jsonb_build_object('seat_numbers', to_jsonb(v_seats));
END;
$$;
