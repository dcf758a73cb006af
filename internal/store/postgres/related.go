package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"khabar/internal/store"
)

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
	tag, err := q.Exec(ctx, `INSERT INTO article_related (article_id, links)
		SELECT $1, COALESCE((SELECT jsonb_agg(t.l ORDER BY t.o)
				FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS t(l, o)
				WHERE (t.l->>'id')::bigint <> $1
					AND EXISTS (SELECT 1 FROM articles a WHERE a.id = (t.l->>'id')::bigint)), '[]'::jsonb)
		WHERE EXISTS (SELECT 1 FROM articles WHERE id = $1)
		ON CONFLICT (article_id) DO UPDATE SET links = excluded.links`, id, string(js))
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
