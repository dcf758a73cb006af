package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"khabar/internal/model"
	"khabar/internal/store"
)

// markOutletStoriesSQL raises the revision of the stories the outlet
// covers, whose details name it.
const markOutletStoriesSQL = `UPDATE stories SET rev = rev + 1
	WHERE id IN (SELECT DISTINCT story_id FROM articles WHERE outlet = $1 AND story_id IS NOT NULL)`

// SaveOutlet stores o's profile under o.Key, replacing the stored one.
func (s *Store) SaveOutlet(ctx context.Context, o model.Outlet) error {
	if o.Key == "" || clean(o.Key) != o.Key {
		return fmt.Errorf("postgres: save outlet %q: empty or invalid key: %w", o.Key, store.ErrInvalid)
	}
	err := s.transact(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO outlets (key, name_ar, name_en, country, kind) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (key) DO UPDATE SET name_ar = excluded.name_ar, name_en = excluded.name_en,
				country = excluded.country, kind = excluded.kind`,
			o.Key, clean(o.NameAR), clean(o.NameEN), clean(o.Country), clean(o.Kind)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, markOutletStoriesSQL, o.Key)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: save outlet %q: %w", o.Key, err)
	}
	return nil
}

// AddOutlets stores the profiles whose key has none yet.
func (s *Store) AddOutlets(ctx context.Context, os []model.Outlet) error {
	err := s.transact(ctx, func(tx pgx.Tx) error {
		for _, o := range os {
			if o.Key == "" || clean(o.Key) != o.Key {
				return fmt.Errorf("empty or invalid key %q: %w", o.Key, store.ErrInvalid)
			}
			tag, err := tx.Exec(ctx, `INSERT INTO outlets (key, name_ar, name_en, country, kind)
				VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key) DO NOTHING`,
				o.Key, clean(o.NameAR), clean(o.NameEN), clean(o.Country), clean(o.Kind))
			if err != nil {
				return err
			}
			if tag.RowsAffected() > 0 {
				if _, err := tx.Exec(ctx, markOutletStoriesSQL, o.Key); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: add outlets: %w", err)
	}
	return nil
}

// GetOutlet returns the profile with that key.
func (s *Store) GetOutlet(ctx context.Context, key string) (model.Outlet, error) {
	q, done := s.db(ctx)
	defer done()
	var o model.Outlet
	err := q.QueryRow(ctx, `SELECT key, name_ar, name_en, country, kind FROM outlets WHERE key = $1`, clean(key)).
		Scan(&o.Key, &o.NameAR, &o.NameEN, &o.Country, &o.Kind)
	if err != nil {
		return model.Outlet{}, fmt.Errorf("postgres: get outlet %q: %w", key, notFound(err))
	}
	return o, nil
}

// ListOutlets returns every profile by key.
func (s *Store) ListOutlets(ctx context.Context) ([]model.Outlet, error) {
	q, done := s.db(ctx)
	defer done()
	var out []model.Outlet
	err := runQuery(ctx, q, `SELECT key, name_ar, name_en, country, kind FROM outlets ORDER BY key COLLATE "C"`, func(rows pgx.Rows) error {
		var o model.Outlet
		if err := rows.Scan(&o.Key, &o.NameAR, &o.NameEN, &o.Country, &o.Kind); err != nil {
			return err
		}
		out = append(out, o)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: list outlets: %w", err)
	}
	return out, nil
}

// SetSourceOutlet makes key the outlet of the source and of its stored
// articles, and recounts their stories.
func (s *Store) SetSourceOutlet(ctx context.Context, sourceID int64, key string) error {
	if key == "" || clean(key) != key {
		return fmt.Errorf("postgres: set outlet of source %d: empty or invalid key: %w", sourceID, store.ErrInvalid)
	}
	err := s.transact(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE sources SET outlet = $1 WHERE id = $2`, key, sourceID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return store.ErrNotFound
		}
		var stories []int64
		err = runQuery(ctx, tx, `SELECT DISTINCT story_id FROM articles WHERE source_id = $1 AND outlet <> $2
			AND story_id IS NOT NULL ORDER BY story_id`, func(rows pgx.Rows) error {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			stories = append(stories, id)
			return nil
		}, sourceID, key)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE articles SET outlet = $1 WHERE source_id = $2`, key, sourceID); err != nil {
			return err
		}
		for _, id := range stories {
			// The story's row lock first, as a save takes it (see refreshStorySQL).
			if _, err := tx.Exec(ctx, `SELECT 1 FROM stories WHERE id = $1 FOR NO KEY UPDATE`, id); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, refreshStorySQL, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: set outlet of source %d: %w", sourceID, err)
	}
	return nil
}
