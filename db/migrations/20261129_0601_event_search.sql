-- Event search (GET /events/search): what an event is about, a full-text document with weights, and
-- trigrams so that misspelt words still find ("tylor swfit" finds "Taylor Swift").
CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE events
  ADD COLUMN IF NOT EXISTS description text NOT NULL DEFAULT '',
  ADD COLUMN IF NOT EXISTS venue       text NOT NULL DEFAULT '',
  ADD COLUMN IF NOT EXISTS performers  text[] NOT NULL DEFAULT '{}';

-- array_to_string is only STABLE in general (it prints any element type); for text[] it is
-- immutable, which a generated column needs.
CREATE FUNCTION event_performers_text(p_performers text[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT array_to_string(p_performers, ' ') $$;

-- Name and performers weigh most, then the venue, then the description.
ALTER TABLE events ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('english', name), 'A') ||
  setweight(to_tsvector('english', event_performers_text(performers)), 'A') ||
  setweight(to_tsvector('english', venue), 'B') ||
  setweight(to_tsvector('english', description), 'C')
) STORED;

-- The short fields, lower-cased, for trigram matching of misspelt words (the description is left
-- out: long texts would match almost any typo a little).
ALTER TABLE events ADD COLUMN search_words text GENERATED ALWAYS AS (
  lower(name || ' ' || event_performers_text(performers) || ' ' || venue)
) STORED;

CREATE INDEX events_search_document ON events USING gin (search_document);
CREATE INDEX events_search_words ON events USING gin (search_words gin_trgm_ops);
-- Date filters and the date order of a search without words.
CREATE INDEX events_starts_at ON events (starts_at, id);
