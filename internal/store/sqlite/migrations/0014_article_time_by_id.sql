-- khabar SQLite schema, version 14: an index from an article's id to its
-- time. A search for a common word ranks its best thousand matches with
-- freshness, which needs each one's sort_time: read from the table, that
-- is a leaf page an article (a row holds its text, about a page), so a
-- thousand pages pulled into a reader's cache per query, and a first query
-- on a connection spent most of its time reading them. This index holds
-- the same thousand times in a few dozen pages. Search names it with
-- INDEXED BY: for a lookup by id the planner prefers the table.
CREATE INDEX IF NOT EXISTS articles_id_time ON articles (id, sort_time);
