package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"khabar/internal/store"
)

var _ store.TextIndexer = (*Store)(nil)

// reindexPage is how many articles ReindexText rewrites in one transaction.
const reindexPage = 500

// ReindexText implements store.TextIndexer: it rewrites the full-text row
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
		err := runQuery(ctx, s.r, `SELECT id, title, text FROM articles WHERE id > ? ORDER BY id LIMIT ?`,
			func(rows *sql.Rows) error {
				var r row
				if err := rows.Scan(&r.id, &r.title, &r.text); err != nil {
					return err
				}
				page = append(page, r)
				return nil
			}, last, reindexPage)
		if err != nil {
			return done, fmt.Errorf("sqlite: reindex: %w", err)
		}
		if len(page) == 0 {
			return done, nil
		}
		// The analysis runs outside the transaction, which holds the
		// store's only writer.
		idx := make([]store.IndexData, len(page))
		for i, r := range page {
			if err := ctx.Err(); err != nil {
				return done, fmt.Errorf("sqlite: reindex: %w", err)
			}
			idx[i] = forms(r.title, r.text)
		}
		err = s.transact(ctx, func(tx *sql.Tx) error {
			for i, r := range page {
				if _, err := exec(ctx, tx, s.stmts.deleteFTS, r.id); err != nil {
					return err
				}
				// An article deleted since the page was read keeps no row.
				var alive int
				if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM articles WHERE id = ?`, r.id).Scan(&alive); err != nil {
					return err
				}
				if alive == 0 {
					continue
				}
				x := idx[i]
				if _, err := tx.ExecContext(ctx, `INSERT INTO articles_fts (rowid, title_terms, title_stems, body_terms, body_stems)
					VALUES (?, ?, ?, ?, ?)`, r.id, ftsText(x.TitleTerms), ftsText(x.TitleStems), ftsText(x.BodyTerms), ftsText(x.BodyStems)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return done, fmt.Errorf("sqlite: reindex: %w", err)
		}
		done += len(page)
		last = page[len(page)-1].id
	}
}
