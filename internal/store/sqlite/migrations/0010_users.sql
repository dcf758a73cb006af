-- Accounts and their reading state (store.Users). password_hash is an
-- encoded argon2id hash; fever_key the hex MD5 of "name:fever password",
-- '' when Fever is off. read and starred are 0 or 1; an article without a
-- row is unread and unstarred. Starred articles survive pruning: a prune
-- keeps every article with a user_articles row where starred = 1.

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	name          TEXT    NOT NULL UNIQUE,
	password_hash TEXT    NOT NULL,
	fever_key     TEXT    NOT NULL DEFAULT '',
	created_at    INTEGER
);
CREATE INDEX users_fever_key ON users (fever_key) WHERE fever_key <> '';

CREATE TABLE user_articles (
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	read       INTEGER NOT NULL DEFAULT 0,
	starred    INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (user_id, article_id)
);
CREATE INDEX user_articles_article ON user_articles (article_id);
CREATE INDEX user_articles_starred ON user_articles (user_id, article_id) WHERE starred = 1;

-- kind is 'source' (source_id set, term ''), 'tag' (term: the keyword's
-- normalized form) or 'name' (term: the entity's canonical name).
-- source_id has no foreign key: a source deleted leaves a follow that
-- listings skip.
CREATE TABLE user_follows (
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	kind       TEXT    NOT NULL,
	source_id  INTEGER NOT NULL DEFAULT 0,
	term       TEXT    NOT NULL DEFAULT '',
	label      TEXT    NOT NULL DEFAULT '',
	created_at INTEGER,
	PRIMARY KEY (user_id, kind, source_id, term)
);

CREATE TABLE user_item_labels (
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	label      TEXT    NOT NULL,
	PRIMARY KEY (user_id, label, article_id)
);
CREATE INDEX user_item_labels_article ON user_item_labels (article_id);
