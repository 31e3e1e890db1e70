-- Event search, faster for words that many events hold (issue 11: p99 <= 50 ms over 100,000 events).

-- Events are written rarely and searched on every request. With GIN's fastupdate (the default) new
-- entries wait in a pending list that every search reads through, and its size makes the planner
-- prefer a sequential scan, until a VACUUM merges it: 100,000 events loaded at once left 455 pending
-- pages in events_search_document, and `jazz` (14,296 matches) went from a bitmap scan of about
-- 20 ms to a sequential scan of 50 to 100 ms. Off: each insert or update of an event writes its
-- index entries at once, a little slower.
ALTER INDEX events_search_document SET (fastupdate = off);
ALTER INDEX events_search_words SET (fastupdate = off);
-- Turning it off leaves the entries already pending where they are.
SELECT gin_clean_pending_list('events_search_document'::regclass), gin_clean_pending_list('events_search_words'::regclass);

-- "Is the name exactly the words": the few such events are looked up once per search in this index,
-- instead of lower(name) on every match (about 5 ms over the 14,296 matches of `jazz`).
CREATE INDEX events_name_lower ON events (lower(name));
