-- khabar SQLite schema, version 1.
-- Times are unix microseconds (UTC), NULL when unknown; the microsecond is
-- also PostgreSQL's precision, so both backends round-trip the same values.

CREATE TABLE sources (
	id            INTEGER PRIMARY KEY,
	url           TEXT    NOT NULL UNIQUE,
	title         TEXT    NOT NULL DEFAULT '',
	site_url      TEXT    NOT NULL DEFAULT '',
	language      TEXT    NOT NULL DEFAULT '',
	etag          TEXT    NOT NULL DEFAULT '',
	last_modified TEXT    NOT NULL DEFAULT '',
	last_fetched  INTEGER,
	last_error    TEXT    NOT NULL DEFAULT '',
	next_fetch    INTEGER,
	error_count   INTEGER NOT NULL DEFAULT 0,
	interval_ns   INTEGER NOT NULL DEFAULT 0,
	created_at    INTEGER
);
CREATE INDEX sources_next_fetch ON sources (next_fetch);

CREATE TABLE stories (
	id         INTEGER PRIMARY KEY,
	title      TEXT    NOT NULL DEFAULT '',
	first_seen INTEGER,
	last_seen  INTEGER,
	articles   INTEGER NOT NULL DEFAULT 0,
	outlets    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX stories_last_seen ON stories (last_seen);

-- articles.source_id has no foreign key: deleting a source keeps its
-- articles, with their source id and name.
-- sort_time is COALESCE(published, fetched): listings, windows and the
-- search freshness all order by it.
-- The small columns come first and the long texts last: SQLite reads a
-- row's columns in order, so a search that needs only sort_time and
-- story_id of thousands of rows never walks their text's overflow pages.
CREATE TABLE articles (
	id           INTEGER PRIMARY KEY,
	sort_time    INTEGER,
	source_id    INTEGER NOT NULL DEFAULT 0,
	story_id     INTEGER REFERENCES stories (id),
	duplicate_of INTEGER NOT NULL DEFAULT 0,
	published    INTEGER,
	modified     INTEGER,
	fetched      INTEGER,
	url          TEXT    NOT NULL UNIQUE,
	guid         TEXT    NOT NULL DEFAULT '',
	source_name  TEXT    NOT NULL DEFAULT '',
	outlet       TEXT    NOT NULL DEFAULT '',
	content_hash TEXT    NOT NULL DEFAULT '',
	language     TEXT    NOT NULL DEFAULT '',
	title        TEXT    NOT NULL DEFAULT '',
	image        TEXT    NOT NULL DEFAULT '',
	site_name    TEXT    NOT NULL DEFAULT '',
	agency       TEXT    NOT NULL DEFAULT '',
	authors      TEXT,
	signature    BLOB,
	summary      TEXT    NOT NULL DEFAULT '',
	html         TEXT    NOT NULL DEFAULT '',
	text         TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX articles_sort_time ON articles (sort_time, id);
CREATE INDEX articles_source ON articles (source_id, sort_time);
-- outlet is source_name, or 'source:<id>' when the article has no name; a
-- story counts its distinct outlets from this covering index.
CREATE INDEX articles_story ON articles (story_id, outlet, sort_time);
CREATE INDEX articles_content_hash ON articles (content_hash, sort_time);

CREATE TABLE article_keywords (
	article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	position   INTEGER NOT NULL,
	keyword    TEXT    NOT NULL,
	norm       TEXT    NOT NULL,
	PRIMARY KEY (article_id, position)
);
CREATE INDEX article_keywords_norm ON article_keywords (norm, article_id);

CREATE TABLE article_entities (
	article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	position   INTEGER NOT NULL,
	name       TEXT    NOT NULL,
	type       TEXT    NOT NULL DEFAULT '',
	mentions   TEXT,
	PRIMARY KEY (article_id, position)
);
CREATE INDEX article_entities_name ON article_entities (name, article_id);

-- LSH bands: band keys are uint64 stored as their int64 bit pattern.
-- sort_time is copied here so that Candidates filters by time without a join.
CREATE TABLE lsh_bands (
	band_key   INTEGER NOT NULL,
	article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	sort_time  INTEGER,
	PRIMARY KEY (band_key, article_id)
) WITHOUT ROWID;
CREATE INDEX lsh_bands_article ON lsh_bands (article_id);

-- Phrase document frequencies, keyed by the FNV-1a 64-bit hash of the
-- phrase (as int64): an integer key keeps this hot, ever-growing B-tree
-- small, and a collision between two of a few million phrases is
-- vanishingly unlikely (and would only merge two counts).
CREATE TABLE phrase_df (
	hash INTEGER PRIMARY KEY,
	df   INTEGER NOT NULL
);

-- The phrase hashes of each article (sorted little-endian int64s), so that
-- an update moves the frequencies by the difference only.
CREATE TABLE article_phrases (
	article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
	hashes     BLOB NOT NULL
);

-- Full-text index over khabar's own analysed forms; rowid = articles.id.
-- Contentless: the terms are derived data, kept only as an index.
CREATE VIRTUAL TABLE articles_fts USING fts5 (
	title_terms, title_stems, body_terms, body_stems,
	content = '', contentless_delete = 1,
	tokenize = 'unicode61 remove_diacritics 0'
);

CREATE TABLE alerts (
	id         INTEGER PRIMARY KEY,
	query      TEXT NOT NULL DEFAULT '',
	source_ids TEXT,
	entities   TEXT,
	webhook    TEXT NOT NULL DEFAULT '',
	email      TEXT NOT NULL DEFAULT '',
	created_at INTEGER
);

CREATE TABLE alert_deliveries (
	alert_id     INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
	article_id   INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	delivered_at INTEGER,
	PRIMARY KEY (alert_id, article_id)
);

CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE learned_names (
	name     TEXT    NOT NULL,
	type     TEXT    NOT NULL DEFAULT '',
	seen     INTEGER NOT NULL DEFAULT 0,
	mentions TEXT,
	PRIMARY KEY (name, type)
);
