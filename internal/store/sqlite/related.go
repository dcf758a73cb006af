package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"khabar/internal/store"
)

// SaveRelated replaces the stored related reading of article id; links to
// articles not stored are left out.
func (s *Store) SaveRelated(ctx context.Context, id int64, links []store.RelatedLink) error {
	err := s.transact(ctx, func(tx *sql.Tx) error { return saveRelated(ctx, tx, id, links) })
	if err != nil {
		return fmt.Errorf("sqlite: save related of %d: %w", id, err)
	}
	return nil
}

// SaveRelatedLists saves the lists in one transaction; the list of an
// article not stored is left out.
func (s *Store) SaveRelatedLists(ctx context.Context, lists []store.RelatedList) error {
	err := s.transact(ctx, func(tx *sql.Tx) error {
		for _, l := range lists {
			if err := saveRelated(ctx, tx, l.ID, l.Links); err != nil && !errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("of %d: %w", l.ID, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: save related lists: %w", err)
	}
	return nil
}

// saveRelated replaces the related reading of article id in tx.
func saveRelated(ctx context.Context, tx *sql.Tx, id int64, links []store.RelatedLink) error {
	var one int
	if err := tx.QueryRowContext(ctx, `SELECT 1 FROM articles WHERE id = ?`, id).Scan(&one); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("article %d: %w", id, store.ErrNotFound)
		}
		return err
	}
	kept := make([]store.RelatedLink, 0, len(links))
	if len(links) > 0 {
		ids := make([]int64, len(links))
		for i, l := range links {
			ids[i] = l.ID
		}
		stored := map[int64]bool{}
		err := runQuery(ctx, tx, `SELECT id FROM articles WHERE id IN (SELECT value FROM json_each(?))`, func(rows *sql.Rows) error {
			var v int64
			if err := rows.Scan(&v); err != nil {
				return err
			}
			stored[v] = true
			return nil
		}, idsJSON(ids))
		if err != nil {
			return err
		}
		for _, l := range links {
			if stored[l.ID] && l.ID != id {
				kept = append(kept, l)
			}
		}
	}
	js, err := json.Marshal(kept)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO article_related (article_id, links) VALUES (?, ?)
		ON CONFLICT (article_id) DO UPDATE SET links = excluded.links`, id, string(js))
	return err
}

// GetRelated returns the stored related reading of article id, without
// the articles deleted since it was computed.
func (s *Store) GetRelated(ctx context.Context, id int64) ([]store.RelatedLink, bool, error) {
	var js string
	err := s.pstmts.related.QueryRowContext(ctx, id).Scan(&js)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("sqlite: get related of %d: %w", id, err)
	}
	var links []store.RelatedLink
	if err := json.Unmarshal([]byte(js), &links); err != nil {
		return nil, false, fmt.Errorf("sqlite: get related of %d: %w", id, err)
	}
	if len(links) == 0 {
		return []store.RelatedLink{}, true, nil
	}
	ids := make([]int64, len(links))
	for i, l := range links {
		ids[i] = l.ID
	}
	stored := map[int64]bool{}
	err = runQuery(ctx, s.pstmts.stored, "", func(rows *sql.Rows) error {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return err
		}
		stored[v] = true
		return nil
	}, idsJSON(ids))
	if err != nil {
		return nil, false, fmt.Errorf("sqlite: get related of %d: %w", id, err)
	}
	out := links[:0]
	for _, l := range links {
		if stored[l.ID] {
			out = append(out, l)
		}
	}
	return out, true, nil
}
