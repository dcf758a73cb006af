package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"khabar/internal/store"
)

var _ store.TextIndexer = (*Store)(nil)

// ReindexText implements store.TextIndexer: it rewrites the search vector
// of every article from forms of its stored title and text.
func (s *Store) ReindexText(ctx context.Context, forms func(title, text string) store.IndexData) (int, error) {
	read := func(ctx context.Context, after int64, limit int) ([]store.ArticleText, error) {
		var page []store.ArticleText
		err := runQuery(ctx, s.pool, `SELECT id, title, text FROM articles WHERE id > $1 ORDER BY id LIMIT $2`,
			func(rows pgx.Rows) error {
				var a store.ArticleText
				if err := rows.Scan(&a.ID, &a.Title, &a.Text); err != nil {
					return err
				}
				page = append(page, a)
				return nil
			}, after, limit)
		return page, err
	}
	write := func(ctx context.Context, page []store.ArticleText, idx []store.IndexData) error {
		vecs := make([]string, len(page))
		ids := make([]int64, len(page))
		for i, a := range page {
			x := idx[i]
			vecs[i] = tsvectorLiteral(store.IndexData{
				TitleTerms: x.TitleTerms, TitleStems: x.TitleStems, BodyTerms: x.BodyTerms, BodyStems: x.BodyStems,
			})
			ids[i] = a.ID
		}
		return s.transactIdempotent(ctx, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `UPDATE articles a SET search = v.search::tsvector
				FROM unnest($1::bigint[], $2::text[]) AS v(id, search) WHERE a.id = v.id`, ids, vecs)
			return err
		})
	}
	n, err := store.Reindex(ctx, read, forms, write)
	if err != nil {
		return n, fmt.Errorf("postgres: reindex: %w", err)
	}
	return n, nil
}
