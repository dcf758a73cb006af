package postgres

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"khabar/internal/store"
)

// PruneArticles deletes up to limit articles older than before, oldest
// first, keeping every article a user starred (the rule of
// StarredArticleIDs: a user_articles row with starred = 1), in one
// transaction: their phrase frequencies go down; keywords, entities, band
// rows, related readings, deliveries and reading state go by cascade;
// copies that pointed at them stand alone; their stories are recounted
// (or deleted, left empty). Stories are locked in id order and phrase
// frequencies in hash order, as saves lock them, so a prune running beside
// the crawl does not deadlock with it.
func (s *Store) PruneArticles(ctx context.Context, before time.Time, limit int) (int, error) {
	if limit <= 0 {
		return 0, nil
	}
	var n int
	err := s.transact(ctx, func(tx pgx.Tx) error {
		n = 0
		var (
			ids     []int64
			stories []int64
			df      = map[int64]int{}
		)
		err := runQuery(ctx, tx, `SELECT a.id, COALESCE(a.story_id, 0), a.phrases FROM articles a
			WHERE a.sort_time < $1
			  AND NOT EXISTS (SELECT 1 FROM user_articles u WHERE u.article_id = a.id AND u.starred = 1)
			ORDER BY a.sort_time, a.id LIMIT $2
			FOR UPDATE`, func(rows pgx.Rows) error {
			var (
				id, story int64
				phrases   []int64
			)
			if err := rows.Scan(&id, &story, &phrases); err != nil {
				return err
			}
			ids = append(ids, id)
			if story != 0 {
				stories = append(stories, story)
			}
			for _, h := range phrases {
				df[h]--
			}
			return nil
		}, before.UTC(), limit)
		if err != nil || len(ids) == 0 {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE articles SET duplicate_of = 0
			WHERE duplicate_of <> 0 AND duplicate_of = ANY($1) AND NOT (id = ANY($1))`, ids); err != nil {
			return fmt.Errorf("copies: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM articles WHERE id = ANY($1)`, ids); err != nil {
			return fmt.Errorf("articles: %w", err)
		}
		slices.Sort(stories)
		stories = slices.Compact(stories)
		// The stories' row locks, in id order, before their recount's
		// snapshot: a save adding to one of them meanwhile is counted.
		if _, err := tx.Exec(ctx, `SELECT id FROM stories WHERE id = ANY($1) ORDER BY id FOR UPDATE`, stories); err != nil {
			return fmt.Errorf("lock stories: %w", err)
		}
		for _, id := range stories {
			if _, err := tx.Exec(ctx, refreshStorySQL, id); err != nil {
				return fmt.Errorf("story %d: %w", id, err)
			}
		}
		if err := applyDocFreq(ctx, tx, df); err != nil {
			return err
		}
		n = len(ids)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: prune articles before %s: %w", before.Format(time.DateOnly), err)
	}
	return n, nil
}

// Reclaim runs VACUUM (ANALYZE) on the tables pruning shrinks, so that
// their freed space is reused and the planner knows their new sizes. It
// does not give the space back to the file system (VACUUM FULL would, under
// an exclusive lock; a deployment can run it by hand in a quiet hour).
func (s *Store) Reclaim(ctx context.Context) error {
	q, done := s.db(ctx)
	defer done()
	for _, t := range []string{"articles", "article_keywords", "article_entities", "lsh_bands",
		"phrase_df", "article_related", "stories"} {
		if _, err := q.Exec(ctx, "VACUUM (ANALYZE) "+t); err != nil {
			return fmt.Errorf("postgres: reclaim: vacuum %s: %w", t, err)
		}
	}
	return nil
}

var _ store.Pruner = (*Store)(nil)
