-- khabar SQLite schema, version 9: each article's related reading, computed
-- when the article is saved (package search), so that its page shows it
-- without a search. links is a JSON array of {"id", "score", "later"}, best
-- first; an empty array means computed, and nothing qualified.
CREATE TABLE article_related (
	article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
	links      TEXT NOT NULL
);
