-- khabar SQLite schema, version 3: LSH band rows ordered by time within
-- each band key. Candidates asks for the articles sharing a key published
-- since a time (the window before a new article); keyed by (band_key,
-- article_id), every row of a key was read, however old, before the time
-- filter, so a common key cost more as the store grew. Keyed by
-- (band_key, sort_time, article_id), the query reads only the rows in the
-- window. sort_time is never unknown here: an article's sort time falls
-- back to its fetch time, which every save sets.
CREATE TABLE lsh_bands_by_time (
	band_key   INTEGER NOT NULL,
	sort_time  INTEGER NOT NULL,
	article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	PRIMARY KEY (band_key, sort_time, article_id)
) WITHOUT ROWID;
INSERT INTO lsh_bands_by_time (band_key, sort_time, article_id)
	SELECT band_key, COALESCE(sort_time, 0), article_id FROM lsh_bands;
DROP TABLE lsh_bands;
ALTER TABLE lsh_bands_by_time RENAME TO lsh_bands;
CREATE INDEX lsh_bands_article ON lsh_bands (article_id);
