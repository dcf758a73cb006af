-- The copies of each copy root, for filing a root and its copies under
-- another when an article shows the two to be one text
-- (model.Article.JoinCopies). Only copies have a row. As SQLite's
-- migration 0015.
CREATE INDEX IF NOT EXISTS articles_copies ON articles (duplicate_of) WHERE duplicate_of <> 0;
