-- khabar SQLite schema, version 15: the copies of each copy root. When an
-- article shows two copy roots to be one text, the store files the later
-- root and its copies under the earlier (model.Article.JoinCopies); this
-- finds those copies without reading the table. Only copies have a row.
CREATE INDEX IF NOT EXISTS articles_copies ON articles (duplicate_of) WHERE duplicate_of != 0;
