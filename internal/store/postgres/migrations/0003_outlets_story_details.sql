-- khabar PostgreSQL schema, version 3: outlet profiles, and what a story page
-- tells beyond its members, computed when the story changes.
--
-- An outlet is known by a stable key (articles.outlet holds it, and
-- stories count outlets by it), so that renaming an outlet never splits a
-- count; its profile gives the names readers see, its country and kind.
CREATE TABLE outlets (
	key     text PRIMARY KEY,
	name_ar text NOT NULL DEFAULT '',
	name_en text NOT NULL DEFAULT '',
	country text NOT NULL DEFAULT '',
	kind    text NOT NULL DEFAULT ''
);
-- The key of a feed's outlet; '' when none was given (its articles are then
-- counted by the source's name, as before).
ALTER TABLE sources ADD COLUMN outlet text NOT NULL DEFAULT '';

-- rev grows with every change of a story's members; details (JSON: coverage,
-- first report, origin, summary, quotes …) were computed at details_rev.
-- A story whose details_rev is behind its rev waits for its details.
ALTER TABLE stories ADD COLUMN rev bigint NOT NULL DEFAULT 1;
ALTER TABLE stories ADD COLUMN details_rev bigint NOT NULL DEFAULT 0;
ALTER TABLE stories ADD COLUMN details text;
-- Covered by at least 3 outlets, all of one country or of one kind, while
-- other countries' outlets were active: set with the details.
ALTER TABLE stories ADD COLUMN one_sided boolean NOT NULL DEFAULT false;
CREATE INDEX stories_stale ON stories (id) WHERE details_rev < rev;
CREATE INDEX stories_one_sided ON stories (last_seen) WHERE one_sided;
