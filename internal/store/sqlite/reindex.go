package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"khabar/internal/store"
)

var _ store.TextIndexer = (*Store)(nil)

// ReindexText implements store.TextIndexer: it rewrites the full-text row
// of every article from forms of its stored title and text.
func (s *Store) ReindexText(ctx context.Context, forms func(title, text string) store.IndexData) (int, error) {
	read := func(ctx context.Context, after int64, limit int) ([]store.ArticleText, error) {
		var page []store.ArticleText
		err := runQuery(ctx, s.r, `SELECT id, title, text FROM articles WHERE id > ? ORDER BY id LIMIT ?`,
			func(rows *sql.Rows) error {
				var a store.ArticleText
				if err := rows.Scan(&a.ID, &a.Title, &a.Text); err != nil {
					return err
				}
				page = append(page, a)
				return nil
			}, after, limit)
		return page, err
	}
	// The forms are made before the transaction, which holds the store's
	// only writer.
	write := func(ctx context.Context, page []store.ArticleText, idx []store.IndexData) error {
		return s.transact(ctx, func(tx *sql.Tx) error {
			for i, a := range page {
				if _, err := exec(ctx, tx, s.stmts.deleteFTS, a.ID); err != nil {
					return err
				}
				// An article deleted since the page was read keeps no row.
				var alive int
				if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM articles WHERE id = ?`, a.ID).Scan(&alive); err != nil {
					return err
				}
				if alive == 0 {
					continue
				}
				x := idx[i]
				if _, err := tx.ExecContext(ctx, `INSERT INTO articles_fts (rowid, title_terms, title_stems, body_terms, body_stems)
					VALUES (?, ?, ?, ?, ?)`, a.ID, ftsText(x.TitleTerms), ftsText(x.TitleStems), ftsText(x.BodyTerms), ftsText(x.BodyStems)); err != nil {
					return err
				}
			}
			return nil
		})
	}
	n, err := store.Reindex(ctx, read, forms, write)
	if err != nil {
		return n, fmt.Errorf("sqlite: reindex: %w", err)
	}
	return n, nil
}
