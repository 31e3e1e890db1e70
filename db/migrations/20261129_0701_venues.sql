-- Venues: price categories, sections of labelled seats, general-admission areas, seats not for sale,
-- and holds that pick the seats themselves (best available, GA places).
--
-- Seats keep their one global number 1..N in layout order; a seat row now also says where it is
-- (section, row, label, indexes for drawing and adjacency) and its category. GA places are seat rows
-- too (is_ga), numbered after the seats, so holds, confirms, releases, expiry, cancellation, tickets
-- and check-in work for them unchanged. Columns stay NULL for events created without a layout: they
-- read as one section 'Main', one row '1' and one category 'standard' at the event's price.

CREATE TABLE event_categories (
  event_id    uuid NOT NULL REFERENCES events (id),
  key         text NOT NULL,
  name        text NOT NULL,
  price_cents integer NOT NULL CHECK (price_cents >= 0),
  position    integer NOT NULL,
  PRIMARY KEY (event_id, key)
);

-- Seated sections and GA areas, in layout order. first_seat..first_seat+seat_count-1 are its seat rows.
CREATE TABLE event_sections (
  event_id    uuid NOT NULL REFERENCES events (id),
  section     text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('SEATED', 'GA')),
  category    text NOT NULL,
  position    integer NOT NULL,
  -- Smaller is closer to the stage; the layout order unless the organiser gave one.
  distance    real NOT NULL,
  first_seat  integer NOT NULL,
  seat_count  integer NOT NULL CHECK (seat_count > 0),
  PRIMARY KEY (event_id, section),
  FOREIGN KEY (event_id, category) REFERENCES event_categories (event_id, key)
);

-- Bumped whenever the static layout changes: GET /events/:id/layout's ETag.
ALTER TABLE events ADD COLUMN layout_version integer NOT NULL DEFAULT 1;
-- A GA-only event has no numbered seats.
ALTER TABLE events DROP CONSTRAINT events_total_seats_check;
ALTER TABLE events ADD CONSTRAINT events_total_seats_check CHECK (total_seats >= 0);

ALTER TABLE seats
  ADD COLUMN section     text,
  ADD COLUMN row_label   text,
  ADD COLUMN label       text,
  ADD COLUMN category    text,
  -- Rows nearest the stage first (row_index 0), seats in order along the row (seat_index 0..row_length-1).
  ADD COLUMN row_index   integer,
  ADD COLUMN seat_index  integer,
  ADD COLUMN row_length  integer,
  ADD COLUMN distance    real,
  ADD COLUMN is_ga       boolean NOT NULL DEFAULT false;

-- BLOCKED: not for sale (kills, companion seats held back); like AVAILABLE it belongs to no booking.
DO $$
DECLARE c record;
BEGIN
  FOR c IN SELECT conname FROM pg_constraint
            WHERE conrelid = 'seats'::regclass AND contype = 'c'
              AND (pg_get_constraintdef(oid) LIKE '%booking_id IS NULL%' OR pg_get_constraintdef(oid) LIKE '%''BOOKED''%')
  LOOP
    EXECUTE format('ALTER TABLE seats DROP CONSTRAINT %I', c.conname);
  END LOOP;
END $$;
ALTER TABLE seats ADD CONSTRAINT seats_status_check CHECK (status IN ('AVAILABLE', 'HELD', 'BOOKED', 'BLOCKED'));
ALTER TABLE seats ADD CONSTRAINT seats_booking_check CHECK ((status IN ('AVAILABLE', 'BLOCKED')) = (booking_id IS NULL));

-- Best available and GA holds look for free seats of one event, nearest the stage first.
CREATE INDEX seats_free_by_place ON seats (event_id, is_ga, section, seat_number) WHERE status = 'AVAILABLE';

-- A best-available or GA hold that could not be met is recorded, so a retry answers the same.
ALTER TABLE bookings DROP CONSTRAINT bookings_rejection_reason_check;
ALTER TABLE bookings ADD CONSTRAINT bookings_rejection_reason_check
  CHECK (rejection_reason IN ('SEAT_UNAVAILABLE', 'BUYER_LIMIT_EXCEEDED', 'NOT_ENOUGH_SEATS'));
-- The GA area a booking holds places in (NULL: seats).
ALTER TABLE bookings ADD COLUMN area text;

-- A held booking's amount: the sum of its seats' category prices (the event's price for seats
-- without a category). Run in the hold's transaction, after hold_seats.
CREATE FUNCTION price_held_booking(p_booking_id uuid) RETURNS integer
LANGUAGE sql AS $$
  UPDATE bookings b SET amount_cents = priced.amount
    FROM (SELECT coalesce(sum(coalesce(c.price_cents, e.price_cents)), 0)::integer AS amount
            FROM bookings bk
            JOIN events e ON e.id = bk.event_id
            JOIN seats s ON s.event_id = bk.event_id AND s.seat_number = ANY (bk.seat_numbers)
            LEFT JOIN event_categories c ON c.event_id = s.event_id AND c.key = s.category
           WHERE bk.id = p_booking_id) priced
   WHERE b.id = p_booking_id AND b.status = 'HELD'
  RETURNING b.amount_cents;
$$;

-- hold_seats for chosen seats, priced by category: {kind: 'held', amount_cents, seat_numbers} or
-- hold_seats' other answers. Events without categories keep hold_seats' amount.
CREATE FUNCTION hold_priced_seats(
  p_booking_id uuid, p_event_id uuid, p_user_id text, p_seats integer[], p_expires_at timestamptz, p_idempotency_key text
) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_result jsonb;
  v_amount integer;
BEGIN
  v_result := hold_seats(p_booking_id, p_event_id, p_user_id, p_seats, p_expires_at, p_idempotency_key);
  -- Events without a layout answer as before: one price, default labels (the API fills them in).
  IF v_result->>'kind' IN ('held', 'existing') AND EXISTS (SELECT 1 FROM event_categories WHERE event_id = p_event_id) THEN
    IF v_result->>'kind' = 'held' THEN
      v_amount := price_held_booking(p_booking_id);
      v_result := v_result || jsonb_build_object('amount_cents', v_amount);
    END IF;
    v_result := v_result || jsonb_build_object('seat_labels', seat_labels(p_event_id, p_seats));
  END IF;
  RETURN v_result;
END;
$$;

-- Locks up to p_quantity free seats among `p_candidates`, or GA places of p_area when p_candidates is
-- NULL, skipping rows other holds have locked. Returns them only when it got all of them; otherwise
-- it returns NULL and, run inside a subtransaction by the caller, its partial locks are rolled back.
CREATE FUNCTION lock_free_places(p_event_id uuid, p_area text, p_quantity integer) RETURNS integer[]
LANGUAGE sql AS $$
  SELECT array_agg(seat_number ORDER BY seat_number)
    FROM (SELECT seat_number FROM seats
           WHERE event_id = p_event_id AND is_ga AND section = p_area AND status = 'AVAILABLE'
           ORDER BY seat_number LIMIT p_quantity FOR UPDATE SKIP LOCKED) got;
$$;

-- Picks and locks `p_quantity` free seats (or GA places of p_area) and holds them for the booking.
-- No event-wide lock: candidates come from a snapshot of the free seats, and each candidate's rows
-- are locked FOR UPDATE SKIP LOCKED and re-checked (a row another hold changed is re-read, so a taken
-- seat drops out); a candidate another hold got first is dropped, its seats excluded, and the next
-- one tried. A round that runs out of candidates while seats are only locked by holds in flight is
-- followed by a new round on a new snapshot, a bounded number of times.
--
-- Seated, best first: (1) one row, adjacent, leaving no single free seat stranded beside the block;
-- (2) one row, adjacent; ranked by section distance, row (nearest the stage), then nearness to the
-- row's middle; (3) only when no row has enough adjacent free seats: the free seats nearest the
-- stage and the row middles, across rows.
-- Returns hold_priced_seats' answer, {kind: 'not_enough', available}, or hold_seats' 'existing' one.
CREATE FUNCTION hold_best_available(
  p_booking_id uuid, p_event_id uuid, p_user_id text, p_quantity integer, p_category text, p_section text,
  p_area text, p_expires_at timestamptz, p_idempotency_key text
) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_existing bookings%ROWTYPE;
  v_excluded integer[];
  v_seats integer[];
  v_cand record;
  v_free integer;
  v_round integer := 0;
  v_tried boolean;
  v_total integer;
  v_result jsonb;
BEGIN
  SELECT * INTO v_existing FROM bookings WHERE id = p_booking_id;
  IF FOUND THEN
    IF v_existing.rejection_reason = 'NOT_ENOUGH_SEATS' THEN
      RETURN jsonb_build_object('kind', 'not_enough', 'available', 0);
    END IF;
    RETURN hold_priced_seats(p_booking_id, p_event_id, p_user_id, v_existing.seat_numbers, p_expires_at, p_idempotency_key)
           || jsonb_build_object('seat_numbers', to_jsonb(v_existing.seat_numbers));
  END IF;
  SELECT total_seats INTO v_total FROM events WHERE id = p_event_id;
  IF NOT FOUND THEN
    RETURN jsonb_build_object('kind', 'invalid', 'message', format('event %s does not exist', p_event_id));
  END IF;

  LOOP
    v_round := v_round + 1;
    v_seats := NULL;
    v_excluded := '{}';
    v_tried := false;
    IF p_area IS NOT NULL THEN
      BEGIN
        v_seats := lock_free_places(p_event_id, p_area, p_quantity);
        IF coalesce(cardinality(v_seats), 0) < p_quantity THEN RAISE EXCEPTION USING ERRCODE = 'SF001'; END IF;
      EXCEPTION WHEN SQLSTATE 'SF001' THEN
        v_seats := NULL;
      END;
    ELSE
      -- (1) and (2): a few starting points per run of adjacent free seats (its ends, its middle and
      -- one or two off them): enough to find the best non-stranding block of every run.
      FOR v_cand IN
        WITH free AS (
          SELECT seat_number, coalesce(section, 'Main') AS sec, coalesce(distance, 0) AS dist,
                 coalesce(row_index, 0) AS ri, coalesce(seat_index, seat_number - 1) AS xi,
                 coalesce(row_length, v_total) AS len
            FROM seats
           WHERE event_id = p_event_id AND NOT is_ga AND status = 'AVAILABLE'
             AND (p_category IS NULL OR coalesce(category, 'standard') = p_category)
             AND (p_section IS NULL OR coalesce(section, 'Main') = p_section)
        ), runs AS (
          SELECT sec, dist, ri, len, min(xi) AS lo, max(xi) AS hi, array_agg(seat_number ORDER BY xi) AS nums
            FROM (SELECT *, xi - row_number() OVER (PARTITION BY sec, ri ORDER BY xi) AS grp FROM free) f
           GROUP BY sec, dist, ri, len, grp
          HAVING count(*) >= p_quantity
        ), starts AS (
          SELECT DISTINCT r.sec, r.dist, r.ri, r.len, r.lo, r.hi, r.nums,
                 greatest(r.lo, least(s, r.hi - p_quantity + 1)) AS st
            FROM runs r,
                 LATERAL unnest(ARRAY[r.lo, r.lo + 2, r.hi - p_quantity + 1, r.hi - p_quantity - 1,
                                      round((r.len - p_quantity) / 2.0)::integer - 1,
                                      round((r.len - p_quantity) / 2.0)::integer,
                                      round((r.len - p_quantity) / 2.0)::integer + 1]) AS s
        )
        SELECT nums[(st - lo + 1):(st - lo + p_quantity)] AS seats
          FROM starts
         ORDER BY ((st - lo) = 1 OR (hi - (st + p_quantity - 1)) = 1), dist, sec, ri,
                  abs((st + (p_quantity - 1) / 2.0) - (len - 1) / 2.0), st
      LOOP
        v_tried := true;
        CONTINUE WHEN v_cand.seats && v_excluded;
        BEGIN
          SELECT array_agg(seat_number ORDER BY seat_number) INTO v_seats
            FROM (SELECT seat_number FROM seats
                   WHERE event_id = p_event_id AND seat_number = ANY (v_cand.seats) AND status = 'AVAILABLE'
                   ORDER BY seat_number FOR UPDATE SKIP LOCKED) got;
          -- Short: roll this candidate's partial locks back, so no other buyer skips seats we do not take.
          IF coalesce(cardinality(v_seats), 0) < p_quantity THEN RAISE EXCEPTION USING ERRCODE = 'SF001'; END IF;
          EXIT;
        EXCEPTION WHEN SQLSTATE 'SF001' THEN
          v_excluded := v_excluded || v_cand.seats;
          v_seats := NULL;
        END;
      END LOOP;

      IF v_seats IS NULL AND NOT v_tried THEN
        -- (3) No row has enough adjacent free seats (in this snapshot): the best free seats across rows.
        BEGIN
          SELECT array_agg(seat_number ORDER BY seat_number) INTO v_seats
            FROM (SELECT seat_number FROM seats
                   WHERE event_id = p_event_id AND NOT is_ga AND status = 'AVAILABLE'
                     AND (p_category IS NULL OR coalesce(category, 'standard') = p_category)
                     AND (p_section IS NULL OR coalesce(section, 'Main') = p_section)
                   ORDER BY coalesce(distance, 0), coalesce(section, 'Main'), coalesce(row_index, 0),
                            abs(coalesce(seat_index, seat_number - 1) - (coalesce(row_length, v_total) - 1) / 2.0),
                            seat_number
                   LIMIT p_quantity FOR UPDATE SKIP LOCKED) got;
          IF coalesce(cardinality(v_seats), 0) < p_quantity THEN RAISE EXCEPTION USING ERRCODE = 'SF001'; END IF;
        EXCEPTION WHEN SQLSTATE 'SF001' THEN
          v_seats := NULL;
        END;
      END IF;
    END IF;
    EXIT WHEN v_seats IS NOT NULL;

    -- Free seats locked by holds in flight may stay free (a refused or rolled back hold) and the
    -- committed state changed since the snapshot: look again while enough are free, a bounded number of times.
    SELECT count(*) INTO v_free FROM seats
     WHERE event_id = p_event_id AND status = 'AVAILABLE' AND is_ga = (p_area IS NOT NULL)
       AND (p_area IS NULL OR section = p_area)
       AND (p_category IS NULL OR coalesce(category, 'standard') = p_category)
       AND (p_section IS NULL OR coalesce(section, 'Main') = p_section);
    IF v_free < p_quantity OR v_round >= 200 THEN
      INSERT INTO bookings (id, event_id, user_id, seat_numbers, status, amount_cents, expires_at, idempotency_key,
                            rejection_reason, area)
      VALUES (p_booking_id, p_event_id, p_user_id, '{}', 'REJECTED', 0, p_expires_at, p_idempotency_key,
              'NOT_ENOUGH_SEATS', p_area);
      RETURN jsonb_build_object('kind', 'not_enough', 'available', v_free);
    END IF;
    PERFORM pg_sleep(0.001 + random() * 0.004 * least(v_round, 10));
  END LOOP;

  v_result := hold_priced_seats(p_booking_id, p_event_id, p_user_id, v_seats, p_expires_at, p_idempotency_key)
              || jsonb_build_object('seat_numbers', to_jsonb(v_seats));
  IF p_area IS NOT NULL THEN
    UPDATE bookings SET area = p_area WHERE id = p_booking_id;
  END IF;
  RETURN v_result;
END;
$$;

-- The labels of some seats of an event, as bookings answer them (defaults for events without a layout).
CREATE FUNCTION seat_labels(p_event_id uuid, p_seats integer[]) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT coalesce(jsonb_agg(jsonb_build_object(
           'seatNumber', seat_number, 'section', coalesce(section, 'Main'),
           'row', coalesce(row_label, CASE WHEN is_ga THEN '' ELSE '1' END),
           'label', coalesce(label, seat_number::text), 'category', coalesce(category, 'standard'))
           ORDER BY seat_number), '[]'::jsonb)
    FROM seats WHERE event_id = p_event_id AND seat_number = ANY (p_seats);
$$;
