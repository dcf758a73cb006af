-- khabar SQLite schema, version 4: the keyword, entity and band rows check
-- their article at commit (DEFERRABLE INITIALLY DEFERRED), not row by row.
-- A statement that writes many rows and may fail half-way (an immediate
-- foreign key can) opens a statement journal, which copies every page the
-- statement touches before changing it: saving a batch of articles spent a
-- third of its time copying band and keyword pages. With the check
-- deferred, and INSERT OR IGNORE for the other constraints, those
-- statements cannot fail half-way and copy nothing; a row whose article is
-- missing still fails the transaction, at COMMIT.
CREATE TABLE article_keywords_v4 (
	article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
	position   INTEGER NOT NULL,
	keyword    TEXT    NOT NULL,
	norm       TEXT    NOT NULL,
	PRIMARY KEY (article_id, position)
);
INSERT INTO article_keywords_v4 (article_id, position, keyword, norm)
	SELECT article_id, position, keyword, norm FROM article_keywords;
DROP TABLE article_keywords;
ALTER TABLE article_keywords_v4 RENAME TO article_keywords;
CREATE INDEX article_keywords_norm ON article_keywords (norm, article_id);

CREATE TABLE article_entities_v4 (
	article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
	position   INTEGER NOT NULL,
	name       TEXT    NOT NULL,
	type       TEXT    NOT NULL DEFAULT '',
	mentions   TEXT,
	PRIMARY KEY (article_id, position)
);
INSERT INTO article_entities_v4 (article_id, position, name, type, mentions)
	SELECT article_id, position, name, type, mentions FROM article_entities;
DROP TABLE article_entities;
ALTER TABLE article_entities_v4 RENAME TO article_entities;
CREATE INDEX article_entities_name ON article_entities (name, article_id);

CREATE TABLE lsh_bands_v4 (
	band_key   INTEGER NOT NULL,
	sort_time  INTEGER NOT NULL,
	article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
	PRIMARY KEY (band_key, sort_time, article_id)
) WITHOUT ROWID;
INSERT INTO lsh_bands_v4 (band_key, sort_time, article_id)
	SELECT band_key, sort_time, article_id FROM lsh_bands;
DROP TABLE lsh_bands;
ALTER TABLE lsh_bands_v4 RENAME TO lsh_bands;
CREATE INDEX lsh_bands_article ON lsh_bands (article_id);
