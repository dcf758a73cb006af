package sqlite

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"time"

	"khabar/internal/store"
)

// PruneArticles deletes up to limit articles older than before, oldest
// first, keeping every article a user starred (the rule of
// StarredArticleIDs: a user_articles row with starred = 1), in one write
// transaction: their search rows and phrase frequencies go with them,
// their keywords, entities, band keys, related readings, deliveries and
// reading state by cascade; copies that pointed at them stand alone; their
// stories are recounted (or deleted, left empty) and the article count
// follows.
func (s *Store) PruneArticles(ctx context.Context, before time.Time, limit int) (int, error) {
	if limit <= 0 {
		return 0, nil
	}
	var n int
	err := s.transact(ctx, func(tx *sql.Tx) error {
		n = 0
		var ids []int64
		stories := map[int64]bool{}
		err := runQuery(ctx, tx, `SELECT a.id, COALESCE(a.story_id, 0) FROM articles a
			WHERE a.sort_time < ?
			  AND NOT EXISTS (SELECT 1 FROM user_articles u WHERE u.article_id = a.id AND u.starred = 1)
			ORDER BY a.sort_time, a.id LIMIT ?`, func(rows *sql.Rows) error {
			var id, story int64
			if err := rows.Scan(&id, &story); err != nil {
				return err
			}
			ids = append(ids, id)
			if story != 0 {
				stories[story] = true
			}
			return nil
		}, before.UnixMicro(), limit)
		if err != nil || len(ids) == 0 {
			return err
		}
		list := idsJSON(ids)
		// The phrase frequencies the articles counted in.
		var down []int64
		err = runQuery(ctx, tx, `SELECT hashes FROM article_phrases WHERE article_id IN (SELECT value FROM json_each(?))`, func(rows *sql.Rows) error {
			var blob []byte
			if err := rows.Scan(&blob); err != nil {
				return err
			}
			for i := 0; i+8 <= len(blob); i += 8 {
				down = append(down, int64(binary.LittleEndian.Uint64(blob[i:])))
			}
			return nil
		}, list)
		if err != nil {
			return fmt.Errorf("phrases: %w", err)
		}
		if err := s.applyDocFreq(ctx, tx, nil, down); err != nil {
			return err
		}
		for _, q := range []struct{ what, sql string }{
			// Contentless: its rows go by rowid, the article id.
			{"search terms", `DELETE FROM articles_fts WHERE rowid IN (SELECT value FROM json_each(?))`},
			// "duplicate_of != 0" lets the index of copies (articles_copies)
			// find them: without it, each batch read the whole table.
			{"copies", `UPDATE articles SET duplicate_of = 0 WHERE duplicate_of != 0
				AND duplicate_of IN (SELECT value FROM json_each(?1)) AND id NOT IN (SELECT value FROM json_each(?1))`},
			{"articles", `DELETE FROM articles WHERE id IN (SELECT value FROM json_each(?))`},
		} {
			if _, err := tx.ExecContext(ctx, q.sql, list); err != nil {
				return fmt.Errorf("%s: %w", q.what, err)
			}
		}
		if _, err := exec(ctx, tx, s.stmts.countAdd, -len(ids)); err != nil {
			return fmt.Errorf("article count: %w", err)
		}
		for id := range stories {
			if err := s.refreshStory(ctx, tx, id); err != nil {
				return err
			}
		}
		n = len(ids)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("sqlite: prune articles before %s: %w", before.Format(time.DateOnly), err)
	}
	return n, nil
}

// Reclaim gives the pages pruning freed back to the file system when they
// are a tenth of the file or more: VACUUM rewrites the database (it needs
// as much free disk as the store takes, for the time it runs), then the
// log is truncated. With fewer free pages it does nothing: SQLite reuses
// them for new articles.
func (s *Store) Reclaim(ctx context.Context) error {
	var free, pages int64
	if err := s.w.QueryRowContext(ctx, "PRAGMA freelist_count").Scan(&free); err != nil {
		return fmt.Errorf("sqlite: reclaim: %w", err)
	}
	if err := s.w.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil {
		return fmt.Errorf("sqlite: reclaim: %w", err)
	}
	if free == 0 || free*10 < pages {
		return nil
	}
	if _, err := s.w.ExecContext(ctx, "VACUUM"); err != nil {
		return fmt.Errorf("sqlite: reclaim: vacuum: %w", err)
	}
	if _, err := s.w.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		return fmt.Errorf("sqlite: reclaim: checkpoint: %w", err)
	}
	return nil
}

var _ store.Pruner = (*Store)(nil)
