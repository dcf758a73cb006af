-- The number of articles of each source, kept by a trigger on every
-- insert, delete and change of source: the source list (read by the
-- trending lists and the search filters on each view) counted them over
-- the whole articles table. As SQLite's migration 0016.
CREATE TABLE IF NOT EXISTS source_counts (
	source_id bigint PRIMARY KEY,
	n         bigint NOT NULL
);
INSERT INTO source_counts (source_id, n) SELECT source_id, COUNT(*) FROM articles GROUP BY source_id
	ON CONFLICT (source_id) DO UPDATE SET n = EXCLUDED.n;
CREATE OR REPLACE FUNCTION source_counts_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP IN ('DELETE', 'UPDATE') THEN
		UPDATE source_counts SET n = n - 1 WHERE source_id = OLD.source_id;
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		INSERT INTO source_counts (source_id, n) VALUES (NEW.source_id, 1)
			ON CONFLICT (source_id) DO UPDATE SET n = source_counts.n + 1;
	END IF;
	RETURN NULL;
END
$$;
DROP TRIGGER IF EXISTS source_counts_add_remove ON articles;
CREATE TRIGGER source_counts_add_remove AFTER INSERT OR DELETE ON articles
	FOR EACH ROW EXECUTE FUNCTION source_counts_change();
DROP TRIGGER IF EXISTS source_counts_move ON articles;
CREATE TRIGGER source_counts_move AFTER UPDATE OF source_id ON articles
	FOR EACH ROW WHEN (OLD.source_id IS DISTINCT FROM NEW.source_id) EXECUTE FUNCTION source_counts_change();
