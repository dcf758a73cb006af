-- khabar SQLite schema, version 8: band rows keyed by the day of their
-- article first (day = sort_time / 86,400,000,000, truncated: Unix µs to
-- whole days, as store/sqlite's bandDay computes it).
--
-- Keyed by band key first, a batch's band rows (76 an article, spread over
-- every key) landed on every leaf of the table, so each commit wrote the
-- whole of lsh_bands to the log again: 1.2 GB of a SaudiNewsNet import's
-- 3 GB of writes. By day first, a batch's rows go to the few days it
-- covers. Candidates then looks each key up in each stored day of the
-- window, a few more B-tree searches per article.
DROP TRIGGER article_bands_delete;
CREATE TABLE lsh_bands_v8 (
	day        INTEGER NOT NULL,
	band_key   INTEGER NOT NULL,
	sort_time  INTEGER NOT NULL,
	article_id INTEGER NOT NULL,
	PRIMARY KEY (day, band_key, sort_time, article_id)
) WITHOUT ROWID;
INSERT INTO lsh_bands_v8 (day, band_key, sort_time, article_id)
	SELECT sort_time / 86400000000, band_key, sort_time, article_id FROM lsh_bands
	ORDER BY 1, 2, 3, 4;
DROP TABLE lsh_bands;
ALTER TABLE lsh_bands_v8 RENAME TO lsh_bands;

CREATE TRIGGER article_bands_delete AFTER DELETE ON article_bands BEGIN
	DELETE FROM lsh_bands
		WHERE day = old.sort_time / 86400000000
		AND band_key IN (SELECT value FROM json_each(old.keys))
		AND sort_time = old.sort_time AND article_id = old.article_id;
END;
