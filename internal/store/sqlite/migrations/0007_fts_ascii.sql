-- khabar SQLite schema, version 7: the full-text index splits words with
-- FTS5's ascii tokenizer in place of unicode61. The store indexes words
-- that khabar's analysis has already split, normalized and lowercased,
-- and the store's ftsText turns any other text into such words (runs of
-- letters, numbers and private-use characters, lowercased, as PostgreSQL's
-- store reads them too); so the ascii tokenizer finds the words unicode61
-- found, where unicode61 looked up the Unicode category and case of every
-- Arabic letter again: half of the index's cost in a bulk import (8.5 s of
-- 31,030 SaudiNewsNet articles).
--
-- Only a store without articles gets the new table (sqlite.skipMigration):
-- the old one keeps no text (content = ''), and rebuilding it from its own
-- words (fts5vocab) took over two minutes for 11,427 articles. A store
-- that holds articles keeps its unicode61 table: given ftsText's words,
-- both tokenizers find the same words in articles and in queries (they
-- differ only on a few letters, such as Greek final sigma, that unicode61
-- folds to another and Go's lowercasing keeps, and both sides of a store
-- go through the same one), so search behaves the same.
DROP TABLE articles_fts;
CREATE VIRTUAL TABLE articles_fts USING fts5 (
	title_terms, title_stems, body_terms, body_stems,
	content = '', contentless_delete = 1,
	tokenize = 'ascii'
);
-- As migration 0005 set for the old table.
INSERT INTO articles_fts (articles_fts, rank) VALUES ('hashsize', 33554432);
