-- Misspelt words of GET /events/search, "did you mean" style (issue 11: p99 <= 50 ms over 100,000
-- events). Before: every word of the query was trigram-matched (`<%`) against each event's
-- search_words and scored with word_similarity on every candidate event, about 40 us a row: 45 ms
-- for the 1,104 candidates of `lena okafr`. Now each word is trigram-matched against the few
-- distinct words of names, performers and venues, and the events holding the words found are read
-- through the full-text index events_search_document.

-- The distinct lexemes (english, as in search_document) of events' names, performers and venues
-- (weights A and B: the description is left out, as from search_words). Numbers are left out: a
-- catalogue holds many and a misspelt number means nothing; the search matches them exactly.
-- Only added to: a word no event holds any more costs the search a little and finds nothing.
CREATE TABLE event_search_lexemes (
  lexeme text PRIMARY KEY
);
CREATE INDEX event_search_lexemes_trigrams ON event_search_lexemes USING gin (lexeme gin_trgm_ops);

CREATE FUNCTION event_search_lexemes_of(p_document tsvector) RETURNS SETOF text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT u.lexeme FROM unnest(p_document) AS u
   WHERE u.weights && '{A,B}'::text[] AND u.lexeme ~ '[^0-9[:punct:]]'
$$;

-- After: the generated search_document is computed by then. In lexeme order, so that two events
-- written at once wait for each other's new words in the same order, never in a cycle.
CREATE FUNCTION event_search_lexemes_add() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO event_search_lexemes (lexeme)
  SELECT l FROM event_search_lexemes_of(NEW.search_document) AS l ORDER BY l
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;

CREATE TRIGGER events_search_lexemes
AFTER INSERT OR UPDATE OF name, performers, venue ON events
FOR EACH ROW EXECUTE FUNCTION event_search_lexemes_add();

INSERT INTO event_search_lexemes (lexeme)
SELECT DISTINCT l FROM events, event_search_lexemes_of(events.search_document) AS l
ON CONFLICT DO NOTHING;

-- The trigram index is no longer read by the search (kept: dropping it belongs to a later release,
-- once no node of the previous one is running).
