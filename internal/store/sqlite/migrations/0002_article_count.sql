-- khabar SQLite schema, version 2: the number of stored articles, kept by
-- every save in the same transaction. Keyword ranking asks for it with the
-- phrase frequencies of each new article (DocFreq), and COUNT(*) walks a
-- whole index: at tens of thousands of articles that was most of
-- DocFreq's cost, and it grew with the store.
CREATE TABLE article_count (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	n  INTEGER NOT NULL
);
INSERT INTO article_count (id, n) SELECT 1, COUNT(*) FROM articles;
