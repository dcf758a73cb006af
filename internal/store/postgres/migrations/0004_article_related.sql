-- Each article's related reading, computed when the article is saved
-- (package search), so that its page shows it without a search. links is a
-- JSON array of {"id", "score", "later"}, best first; an empty array means
-- computed, and nothing qualified. As SQLite's migration 0009.
CREATE TABLE article_related (
	article_id bigint PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
	links      jsonb  NOT NULL
);
