-- khabar SQLite schema, version 5: FTS5 keeps up to 32 MiB of a
-- transaction's new rows in memory (its default is 1 MiB) before writing
-- them as a segment. A bulk import's transaction of 2,000 articles filled
-- the default twenty times over, and each small segment then had to be
-- merged with the others: a third of the full-text index's cost. A save
-- of a few articles never comes near it.
INSERT INTO articles_fts (articles_fts, rank) VALUES ('hashsize', 33554432);
