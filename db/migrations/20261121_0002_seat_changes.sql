-- The seat-change outbox: one row per committed change of an event's seats, numbered per event in
-- the same transaction as the change, so a live seat map can apply them in order and notice gaps.

-- Per-event version counters live in their own narrow table: every seat change updates one, and
-- keeping them off `events` keeps those updates small and off the rows that reads use.
CREATE TABLE seat_versions (
  event_id uuid PRIMARY KEY REFERENCES events (id),
  version  bigint NOT NULL DEFAULT 0
);
INSERT INTO seat_versions (event_id) SELECT id FROM events;

CREATE TABLE seat_changes (
  event_id     uuid NOT NULL REFERENCES events (id),
  version      bigint NOT NULL,
  seats        jsonb NOT NULL,
  committed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (event_id, version)
);
CREATE INDEX seat_changes_committed_at ON seat_changes (committed_at);

-- Bumps the event's version, writes the outbox row and NOTIFYs (delivered only on commit). Callers
-- run it last in their transaction: the version row stays locked from here to commit, which is
-- what makes commit order equal version order, so that window is kept as short as it can be.
-- NOTIFY payloads stop at 8000 bytes: a large change is announced without its seats.
CREATE FUNCTION record_seat_change(p_event_id uuid, p_seats jsonb) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  v_version bigint;
  v_at timestamptz;
BEGIN
  UPDATE seat_versions SET version = version + 1 WHERE event_id = p_event_id RETURNING version INTO v_version;
  INSERT INTO seat_changes (event_id, version, seats) VALUES (p_event_id, v_version, p_seats)
  RETURNING committed_at INTO v_at;
  PERFORM pg_notify('seat_changes', json_build_object(
    'type', 'seat_update', 'event_id', p_event_id, 'version', v_version,
    'seats', CASE WHEN length(p_seats::text) <= 6000 THEN p_seats END,
    'committed_at', v_at)::text);
  RETURN v_version;
END;
$$;

-- The whole hold in one round trip, so the version row is held only for the commit itself.
-- Locks the requested seats in seat order; holds all of them for the booking or none, and records a
-- refused hold as a REJECTED booking naming the seats that were taken. Returns what happened as JSON:
-- {kind: 'held', amount_cents} | {kind: 'unavailable', seats} | {kind: 'invalid', message}, or
-- {kind: 'existing', status, amount_cents, expires_at, rejected_seats} when this booking id already
-- ran: a retried activity gets the first run's answer and changes nothing.
CREATE FUNCTION hold_seats(
  p_booking_id uuid, p_event_id uuid, p_user_id text, p_seats integer[], p_expires_at timestamptz, p_idempotency_key text
) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_price integer;
  v_found integer;
  v_taken integer[];
  v_amount integer;
  v_existing bookings%ROWTYPE;
BEGIN
  SELECT * INTO v_existing FROM bookings WHERE id = p_booking_id;
  IF FOUND THEN
    RETURN jsonb_build_object('kind', 'existing', 'status', v_existing.status, 'amount_cents', v_existing.amount_cents,
                              'expires_at', v_existing.expires_at, 'rejected_seats', to_jsonb(v_existing.rejected_seats));
  END IF;
  SELECT price_cents INTO v_price FROM events WHERE id = p_event_id;
  IF NOT FOUND THEN
    RETURN jsonb_build_object('kind', 'invalid', 'message', format('event %s does not exist', p_event_id));
  END IF;
  v_amount := v_price * cardinality(p_seats);

  SELECT count(*), coalesce(array_agg(seat_number ORDER BY seat_number) FILTER (WHERE status <> 'AVAILABLE'), '{}')
    INTO v_found, v_taken
    FROM (SELECT seat_number, status FROM seats
           WHERE event_id = p_event_id AND seat_number = ANY (p_seats)
           ORDER BY seat_number FOR UPDATE) locked;
  IF v_found <> (SELECT count(DISTINCT s) FROM unnest(p_seats) AS s) THEN
    RETURN jsonb_build_object('kind', 'invalid', 'message', 'some seat numbers do not exist for this event');
  END IF;

  IF cardinality(v_taken) > 0 THEN
    INSERT INTO bookings (id, event_id, user_id, seat_numbers, status, amount_cents, expires_at, idempotency_key, rejected_seats)
    VALUES (p_booking_id, p_event_id, p_user_id, p_seats, 'REJECTED', v_amount, p_expires_at, p_idempotency_key, v_taken);
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
