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
-- The table keeps no text (content = ''), so its words are read back from
-- the index itself, with their positions, and written to the new table in
-- order: every article keeps the same words, phrases and bm25 statistics,
-- and an article with no indexed word keeps its (empty) row. unicode61's
-- words are runs of letters and numbers, case folded, which the ascii
-- tokenizer splits no further. (unicode61 also kept a few Latin combining
-- accents inside a word, and folded a few letters, such as Greek final
-- sigma, that Go's lowercasing leaves: words with those, in articles
-- stored before this version, keep unicode61's form.)
CREATE VIRTUAL TABLE temp.articles_fts_v6_words USING fts5vocab (main, articles_fts, instance);

CREATE VIRTUAL TABLE articles_fts_v7 USING fts5 (
	title_terms, title_stems, body_terms, body_stems,
	content = '', contentless_delete = 1,
	tokenize = 'ascii'
);
-- As migration 0005 set for the old table.
INSERT INTO articles_fts_v7 (articles_fts_v7, rank) VALUES ('hashsize', 33554432);

INSERT INTO articles_fts_v7 (rowid, title_terms, title_stems, body_terms, body_stems)
	SELECT d.id,
		coalesce(w.title_terms, ''), coalesce(w.title_stems, ''),
		coalesce(w.body_terms, ''), coalesce(w.body_stems, '')
	FROM articles_fts_docsize d
	LEFT JOIN (
		SELECT doc,
			group_concat(term, ' ' ORDER BY offset) FILTER (WHERE col = 'title_terms') AS title_terms,
			group_concat(term, ' ' ORDER BY offset) FILTER (WHERE col = 'title_stems') AS title_stems,
			group_concat(term, ' ' ORDER BY offset) FILTER (WHERE col = 'body_terms') AS body_terms,
			group_concat(term, ' ' ORDER BY offset) FILTER (WHERE col = 'body_stems') AS body_stems
		FROM temp.articles_fts_v6_words
		GROUP BY doc
	) w ON w.doc = d.id
	ORDER BY d.id;

DROP TABLE temp.articles_fts_v6_words;
DROP TABLE articles_fts;
ALTER TABLE articles_fts_v7 RENAME TO articles_fts;
