package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"khabar/internal/model"
	"khabar/internal/store"
)

// SaveOutlet stores o's profile under o.Key, replacing the stored one.
func (s *Store) SaveOutlet(ctx context.Context, o model.Outlet) error {
	if o.Key == "" {
		return fmt.Errorf("sqlite: save outlet: empty key: %w", store.ErrInvalid)
	}
	err := s.transact(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO outlets (key, name_ar, name_en, country, kind) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET name_ar = excluded.name_ar, name_en = excluded.name_en,
				country = excluded.country, kind = excluded.kind`, o.Key, o.NameAR, o.NameEN, o.Country, o.Kind)
		if err != nil {
			return err
		}
		return markOutletStories(ctx, tx, o.Key)
	})
	if err != nil {
		return fmt.Errorf("sqlite: save outlet %q: %w", o.Key, err)
	}
	return nil
}

// markOutletStories raises the revision of the stories the outlet covers,
// whose details name it.
func markOutletStories(ctx context.Context, tx *sql.Tx, key string) error {
	_, err := tx.ExecContext(ctx, `UPDATE stories SET rev = rev + 1
		WHERE id IN (SELECT DISTINCT story_id FROM articles WHERE outlet = ? AND story_id IS NOT NULL)`, key)
	return err
}

// AddOutlets stores the profiles whose key has none yet.
func (s *Store) AddOutlets(ctx context.Context, os []model.Outlet) error {
	err := s.transact(ctx, func(tx *sql.Tx) error {
		for _, o := range os {
			if o.Key == "" {
				return fmt.Errorf("empty key: %w", store.ErrInvalid)
			}
			res, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO outlets (key, name_ar, name_en, country, kind)
				VALUES (?, ?, ?, ?, ?)`, o.Key, o.NameAR, o.NameEN, o.Country, o.Kind)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n > 0 {
				if err := markOutletStories(ctx, tx, o.Key); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: add outlets: %w", err)
	}
	return nil
}

// GetOutlet returns the profile with that key.
func (s *Store) GetOutlet(ctx context.Context, key string) (model.Outlet, error) {
	var o model.Outlet
	err := s.r.QueryRowContext(ctx, `SELECT key, name_ar, name_en, country, kind FROM outlets WHERE key = ?`, key).
		Scan(&o.Key, &o.NameAR, &o.NameEN, &o.Country, &o.Kind)
	if err != nil {
		return model.Outlet{}, fmt.Errorf("sqlite: get outlet %q: %w", key, notFound(err))
	}
	return o, nil
}

// ListOutlets returns every profile by key.
func (s *Store) ListOutlets(ctx context.Context) ([]model.Outlet, error) {
	var out []model.Outlet
	err := runQuery(ctx, s.r, `SELECT key, name_ar, name_en, country, kind FROM outlets ORDER BY key`, func(rows *sql.Rows) error {
		var o model.Outlet
		if err := rows.Scan(&o.Key, &o.NameAR, &o.NameEN, &o.Country, &o.Kind); err != nil {
			return err
		}
		out = append(out, o)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: list outlets: %w", err)
	}
	return out, nil
}

// SetSourceOutlet makes key the outlet of the source and of its stored
// articles, and recounts their stories.
func (s *Store) SetSourceOutlet(ctx context.Context, sourceID int64, key string) error {
	if key == "" {
		return fmt.Errorf("sqlite: set outlet of source %d: empty key: %w", sourceID, store.ErrInvalid)
	}
	err := s.transact(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE sources SET outlet = ? WHERE id = ?`, key, sourceID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return store.ErrNotFound
		}
		var stories []int64
		err = runQuery(ctx, tx, `SELECT DISTINCT story_id FROM articles WHERE source_id = ? AND outlet <> ? AND story_id IS NOT NULL`,
			func(rows *sql.Rows) error {
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
		if _, err := tx.ExecContext(ctx, `UPDATE articles SET outlet = ? WHERE source_id = ?`, key, sourceID); err != nil {
			return err
		}
		for _, id := range stories {
			if err := s.refreshStory(ctx, tx, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: set outlet of source %d: %w", sourceID, err)
	}
	return nil
}
