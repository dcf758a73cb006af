-- khabar SQLite schema, version 13: the index on articles' time also holds
-- their outlet and source. Counting the articles of an interval under a
-- filter by outlet, source, country or kind (the denominator of an
-- attention query's share, CountByTime) ranged over this index and read
-- each article's row for its outlet: a leaf page of the table holds about
-- one article, so a count read a page an article. The wider index answers
-- the count alone, and keeps serving what ordered or ranged by time.
DROP INDEX IF EXISTS articles_sort_time;
CREATE INDEX articles_sort_time ON articles (sort_time, id, outlet, source_id);
