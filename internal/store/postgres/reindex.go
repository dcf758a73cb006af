package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"khabar/internal/store"
)

var _ store.TextIndexer = (*Store)(nil)

// reindexPage is how many articles ReindexText rewrites in one transaction.
const reindexPage = 500

// ReindexText implements store.TextIndexer: it rewrites the search vector
// of every article from forms of its stored title and text.
func (s *Store) ReindexText(ctx context.Context, forms func(title, text string) store.IndexData) (int, error) {
	var last int64
	done := 0
	for {
		type row struct {
			id          int64
			title, text string
		}
		var page []row
		err := runQuery(ctx, s.pool, `SELECT id, title, text FROM articles WHERE id > $1 ORDER BY id LIMIT $2`,
			func(rows pgx.Rows) error {
				var r row
				if err := rows.Scan(&r.id, &r.title, &r.text); err != nil {
					return err
				}
				page = append(page, r)
				return nil
			}, last, reindexPage)
		if err != nil {
			return done, fmt.Errorf("postgres: reindex: %w", err)
		}
		if len(page) == 0 {
			return done, nil
		}
		vecs := make([]string, len(page))
		ids := make([]int64, len(page))
		for i, r := range page {
			if err := ctx.Err(); err != nil {
				return done, fmt.Errorf("postgres: reindex: %w", err)
			}
			x := forms(r.title, r.text)
			vecs[i] = tsvectorLiteral(store.IndexData{
				TitleTerms: x.TitleTerms, TitleStems: x.TitleStems, BodyTerms: x.BodyTerms, BodyStems: x.BodyStems,
			})
			ids[i] = r.id
		}
		err = s.transactIdempotent(ctx, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `UPDATE articles a SET search = v.search::tsvector
				FROM unnest($1::bigint[], $2::text[]) AS v(id, search) WHERE a.id = v.id`, ids, vecs)
			return err
		})
		if err != nil {
			return done, fmt.Errorf("postgres: reindex: %w", err)
		}
		done += len(page)
		last = page[len(page)-1].id
	}
}
