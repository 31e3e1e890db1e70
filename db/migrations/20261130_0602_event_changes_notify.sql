-- Each API node keeps the events it answers in memory (GET /events/:id) and forgets one when this
-- says it changed (committed UPDATE or DELETE of the row; the payload is its id). Seat availability
-- is not in the row: it follows the seat-change feed.
CREATE FUNCTION notify_event_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('event_changed', OLD.id::text);
  RETURN NULL;
END $$;

CREATE TRIGGER events_notify_changed
  AFTER UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION notify_event_changed();
