-- The waiting room (docs/api.md#waiting-room): when an event goes on sale, and the room's settings
-- (null: no room, buyers book directly). The queue itself lives in Redis, not here.
ALTER TABLE events ADD COLUMN on_sale_at timestamptz;
ALTER TABLE events ADD COLUMN waiting_room jsonb
  CHECK (waiting_room IS NULL OR (jsonb_typeof(waiting_room) = 'object' AND (waiting_room ->> 'admitPerMinute')::int > 0));
