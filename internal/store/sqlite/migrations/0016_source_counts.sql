-- khabar SQLite schema, version 16: the number of articles of each source,
-- kept by triggers on every insert, delete and change of source. The
-- source list (the trending lists and the search filters read it on each
-- view) counted them with a walk over the whole articles_source index, a
-- cost that grew with the store, not with the forty-odd sources shown.
-- Written to run again harmlessly (the upgrade tests replay it).
CREATE TABLE IF NOT EXISTS source_counts (
	source_id INTEGER PRIMARY KEY,
	n         INTEGER NOT NULL
);
INSERT OR REPLACE INTO source_counts (source_id, n) SELECT source_id, COUNT(*) FROM articles GROUP BY source_id;
CREATE TRIGGER IF NOT EXISTS source_counts_insert AFTER INSERT ON articles BEGIN
	INSERT INTO source_counts (source_id, n) VALUES (NEW.source_id, 1)
		ON CONFLICT (source_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS source_counts_delete AFTER DELETE ON articles BEGIN
	UPDATE source_counts SET n = n - 1 WHERE source_id = OLD.source_id;
END;
CREATE TRIGGER IF NOT EXISTS source_counts_move AFTER UPDATE OF source_id ON articles WHEN OLD.source_id != NEW.source_id BEGIN
	UPDATE source_counts SET n = n - 1 WHERE source_id = OLD.source_id;
	INSERT INTO source_counts (source_id, n) VALUES (NEW.source_id, 1)
		ON CONFLICT (source_id) DO UPDATE SET n = n + 1;
END;
