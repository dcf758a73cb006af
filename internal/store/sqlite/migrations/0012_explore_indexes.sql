-- khabar SQLite schema, version 12: covering indexes for counting the
-- matches of a query (store.Explorer). An article's row holds its text,
-- so a leaf page of the table holds about one article: counting 12,000
-- matches by their time and outlet read 12,000 pages. These indexes hold
-- only what the counts read, a hundred articles a page; by article, the
-- names and keywords the top lists count.
CREATE INDEX IF NOT EXISTS articles_explore ON articles (id, sort_time, outlet, source_id, source_name);
CREATE INDEX IF NOT EXISTS article_entities_article ON article_entities (article_id, name, type);
CREATE INDEX IF NOT EXISTS article_keywords_article ON article_keywords (article_id, norm, keyword);
