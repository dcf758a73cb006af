package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"khabar/internal/store"
)

// saveRelatedSQL replaces the related reading of article $1 with the JSON
// list $2, leaving out links to itself and to articles not stored; it
// changes no row when article $1 is not stored.
const saveRelatedSQL = `INSERT INTO article_related (article_id, links)
		SELECT $1, COALESCE((SELECT jsonb_agg(t.l ORDER BY t.o)
				FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS t(l, o)
				WHERE (t.l->>'id')::bigint <> $1
					AND EXISTS (SELECT 1 FROM articles a WHERE a.id = (t.l->>'id')::bigint)), '[]'::jsonb)
		WHERE EXISTS (SELECT 1 FROM articles WHERE id = $1)
		ON CONFLICT (article_id) DO UPDATE SET links = excluded.links`

// SaveRelated replaces the stored related reading of article id; links to
// articles not stored are left out.
func (s *Store) SaveRelated(ctx context.Context, id int64, links []store.RelatedLink) error {
	if links == nil {
		links = []store.RelatedLink{}
	}
	js, err := json.Marshal(links)
	if err != nil {
		return fmt.Errorf("postgres: save related of %d: %w", id, err)
	}
	q, done := s.db(ctx)
	defer done()
	tag, err := q.Exec(ctx, saveRelatedSQL, id, string(js))
	if err != nil {
		return fmt.Errorf("postgres: save related of %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: save related of %d: %w", id, store.ErrNotFound)
	}
	return nil
}

// GetRelated returns the stored related reading of article id, without
// the articles deleted since it was computed.
func (s *Store) GetRelated(ctx context.Context, id int64) ([]store.RelatedLink, bool, error) {
	q, done := s.db(ctx)
	defer done()
	var js []byte
	err := q.QueryRow(ctx, `SELECT COALESCE((SELECT jsonb_agg(t.l ORDER BY t.o)
			FROM jsonb_array_elements(r.links) WITH ORDINALITY AS t(l, o)
			WHERE EXISTS (SELECT 1 FROM articles a WHERE a.id = (t.l->>'id')::bigint)), '[]'::jsonb)
		FROM article_related r WHERE r.article_id = $1`, id).Scan(&js)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("postgres: get related of %d: %w", id, err)
	}
	links := []store.RelatedLink{}
	if err := json.Unmarshal(js, &links); err != nil {
		return nil, false, fmt.Errorf("postgres: get related of %d: %w", id, err)
	}
	return links, true, nil
}

// SaveRelatedLists saves the lists in one transaction; the list of an
// article not stored is left out.
func (s *Store) SaveRelatedLists(ctx context.Context, lists []store.RelatedList) error {
	err := s.transact(ctx, func(tx pgx.Tx) error {
		for _, l := range lists {
			links := l.Links
			if links == nil {
				links = []store.RelatedLink{}
			}
			js, err := json.Marshal(links)
			if err != nil {
				return fmt.Errorf("of %d: %w", l.ID, err)
			}
			if _, err := tx.Exec(ctx, saveRelatedSQL, l.ID, string(js)); err != nil {
				return fmt.Errorf("of %d: %w", l.ID, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: save related lists: %w", err)
	}
	return nil
}

// copyRelated copies the stored related reading of the articles ids from
// src (those that have one), copyBatch lists per transaction.
func copyRelated(ctx context.Context, src store.Related, dst *Store, ids []int64) error {
	var batch []store.RelatedList
	for _, id := range ids {
		links, ok, err := src.GetRelated(ctx, id)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if batch = append(batch, store.RelatedList{ID: id, Links: links}); len(batch) == copyBatch {
			if err := dst.SaveRelatedLists(ctx, batch); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	if len(batch) == 0 {
		return nil
	}
	return dst.SaveRelatedLists(ctx, batch)
}
