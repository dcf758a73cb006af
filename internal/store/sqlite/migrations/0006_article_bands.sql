-- khabar SQLite schema, version 6: each article's band keys kept in one
-- row of article_bands, and lsh_bands without its index by article and
-- without a foreign key. Every band row (76 an article) paid for a second
-- B-tree insert into that index and a look-up of its article, only so that
-- an update could find the rows to replace. Now the update deletes the
-- article's article_bands row, and a trigger deletes its band rows through
-- the primary key; deleting an article cascades to article_bands and so to
-- its band rows.
CREATE TABLE article_bands (
	article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
	sort_time  INTEGER NOT NULL,
	keys       TEXT    NOT NULL -- JSON array of the band keys
);
INSERT INTO article_bands (article_id, sort_time, keys)
	SELECT article_id, MIN(sort_time), json_group_array(band_key) FROM lsh_bands GROUP BY article_id;

CREATE TABLE lsh_bands_v6 (
	band_key   INTEGER NOT NULL,
	sort_time  INTEGER NOT NULL,
	article_id INTEGER NOT NULL,
	PRIMARY KEY (band_key, sort_time, article_id)
) WITHOUT ROWID;
INSERT INTO lsh_bands_v6 (band_key, sort_time, article_id)
	SELECT band_key, sort_time, article_id FROM lsh_bands;
DROP TABLE lsh_bands;
ALTER TABLE lsh_bands_v6 RENAME TO lsh_bands;

CREATE TRIGGER article_bands_delete AFTER DELETE ON article_bands BEGIN
	DELETE FROM lsh_bands
		WHERE band_key IN (SELECT value FROM json_each(old.keys))
		AND sort_time = old.sort_time AND article_id = old.article_id;
END;
