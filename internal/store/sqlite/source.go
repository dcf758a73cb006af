package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"khabar/internal/model"
	"khabar/internal/store"
)

const sourceColumns = `s.id, s.url, s.title, s.site_url, s.language, s.etag, s.last_modified,
	s.last_fetched, s.last_error, s.next_fetch, s.error_count, s.interval_ns, s.created_at,
	s.outlet, COALESCE(o.name_ar, ''), COALESCE(o.name_en, ''), COALESCE(o.country, ''), COALESCE(o.kind, '')`

// sourcesFrom is the FROM clause of sourceColumns: each source with its
// outlet's profile.
const sourcesFrom = ` FROM sources s LEFT JOIN outlets o ON o.key = s.outlet`

type rowScanner interface{ Scan(dest ...any) error }

func scanSource(r rowScanner, extra ...any) (model.Source, error) {
	var (
		s                               model.Source
		lastFetched, nextFetch, created sql.NullInt64
		interval                        int64
	)
	dest := append([]any{&s.ID, &s.URL, &s.Title, &s.SiteURL, &s.Language, &s.ETag, &s.LastModified,
		&lastFetched, &s.LastError, &nextFetch, &s.ErrorCount, &interval, &created,
		&s.Outlet.Key, &s.Outlet.NameAR, &s.Outlet.NameEN, &s.Outlet.Country, &s.Outlet.Kind}, extra...)
	if err := r.Scan(dest...); err != nil {
		return model.Source{}, err
	}
	s.LastFetched = timeVal(lastFetched)
	s.NextFetch = timeVal(nextFetch)
	s.CreatedAt = timeVal(created)
	s.Interval = time.Duration(interval)
	return s, nil
}

// AddSource stores src and sets its ID; CreatedAt defaults to now. A URL
// already stored gives store.ErrConflict.
func (s *Store) AddSource(ctx context.Context, src *model.Source) error {
	if strings.TrimSpace(src.URL) == "" {
		return fmt.Errorf("sqlite: add source: empty URL: %w", store.ErrInvalid)
	}
	if src.CreatedAt.IsZero() {
		src.CreatedAt = time.Now().UTC().Truncate(time.Microsecond)
	}
	var id int64
	err := s.transact(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO sources
			(url, title, site_url, language, etag, last_modified, last_fetched, last_error,
			 next_fetch, error_count, interval_ns, created_at, outlet)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			src.URL, src.Title, src.SiteURL, src.Language, src.ETag, src.LastModified,
			timeArg(src.LastFetched), src.LastError, timeArg(src.NextFetch), src.ErrorCount,
			int64(src.Interval), timeArg(src.CreatedAt), src.Outlet.Key).Scan(&id)
	})
	if err != nil {
		if isUniqueViolation(err) {
			return fmt.Errorf("sqlite: add source %q: %w", src.URL, store.ErrConflict)
		}
		return fmt.Errorf("sqlite: add source %q: %w", src.URL, err)
	}
	src.ID = id
	return nil
}

// sourceCountQuery is a source's number of articles, which triggers keep
// (migration 0016).
const sourceCountQuery = `COALESCE((SELECT c.n FROM source_counts c WHERE c.source_id = s.id), 0)`

// GetSource returns the source with its article count.
func (s *Store) GetSource(ctx context.Context, id int64) (model.Source, error) {
	var n int
	src, err := scanSource(s.r.QueryRowContext(ctx,
		`SELECT `+sourceColumns+`, `+sourceCountQuery+sourcesFrom+` WHERE s.id = ?`, id), &n)
	if err != nil {
		return model.Source{}, fmt.Errorf("sqlite: get source %d: %w", id, notFound(err))
	}
	src.Articles = n
	return src, nil
}

// GetSourceByURL returns the source with that feed URL.
func (s *Store) GetSourceByURL(ctx context.Context, u string) (model.Source, error) {
	var n int
	src, err := scanSource(s.r.QueryRowContext(ctx,
		`SELECT `+sourceColumns+`, `+sourceCountQuery+sourcesFrom+` WHERE s.url = ?`, u), &n)
	if err != nil {
		return model.Source{}, fmt.Errorf("sqlite: get source %q: %w", u, notFound(err))
	}
	src.Articles = n
	return src, nil
}

// ListSources returns every source by id, with Articles counted.
func (s *Store) ListSources(ctx context.Context) ([]model.Source, error) {
	var out []model.Source
	err := runQuery(ctx, s.r, `SELECT `+sourceColumns+`, COALESCE(c.n, 0)`+sourcesFrom+`
		LEFT JOIN source_counts c ON c.source_id = s.id
		ORDER BY s.id`, func(rows *sql.Rows) error {
		var n int
		src, err := scanSource(rows, &n)
		if err != nil {
			return err
		}
		src.Articles = n
		out = append(out, src)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: list sources: %w", err)
	}
	return out, nil
}

// DeleteSource removes the source; its articles stay with their SourceID
// and SourceName.
func (s *Store) DeleteSource(ctx context.Context, id int64) error {
	err := s.transact(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sources WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return store.ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: delete source %d: %w", id, err)
	}
	return nil
}

// ClaimDueSources returns up to limit sources whose NextFetch is at or
// before now (a source never fetched, with no NextFetch, is due), earliest
// first, and in the same IMMEDIATE transaction moves their NextFetch to
// now+lease.
func (s *Store) ClaimDueSources(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]model.Source, error) {
	return s.claim(ctx, now, lease, limit, false)
}

// ClaimSources claims the due sources and, besides them, every healthy one
// (error_count = 0) not under another worker's lease, for a crawl asked
// for by hand.
func (s *Store) ClaimSources(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]model.Source, error) {
	return s.claim(ctx, now, lease, limit, true)
}

func (s *Store) claim(ctx context.Context, now time.Time, lease time.Duration, limit int, healthy bool) ([]model.Source, error) {
	if limit <= 0 {
		return nil, nil
	}
	if lease < 0 {
		return nil, fmt.Errorf("sqlite: claim sources: negative lease %v: %w", lease, store.ErrInvalid)
	}
	until := now.Add(lease)
	var out []model.Source
	err := s.transact(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		err := runQuery(ctx, tx, `SELECT `+sourceColumns+sourcesFrom+`
			WHERE s.next_fetch IS NULL OR s.next_fetch <= ? OR (? AND s.error_count = 0 AND s.next_fetch > ?)
			ORDER BY COALESCE(s.next_fetch, 0), s.id LIMIT ?`, func(rows *sql.Rows) error {
			src, err := scanSource(rows)
			if err != nil {
				return err
			}
			out = append(out, src)
			return nil
		}, now.UnixMicro(), healthy, until.UnixMicro(), limit)
		if err != nil {
			return err
		}
		for i := range out {
			if _, err := tx.ExecContext(ctx, `UPDATE sources SET next_fetch = ? WHERE id = ?`,
				until.UnixMicro(), out[i].ID); err != nil {
				return err
			}
			out[i].NextFetch = time.UnixMicro(until.UnixMicro()).UTC()
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: claim sources: %w", err)
	}
	return out, nil
}

// SaveFetchState writes the polling state of src and, when not empty, its
// Title, SiteURL and Language.
func (s *Store) SaveFetchState(ctx context.Context, src model.Source) error {
	err := s.transact(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE sources SET
			etag = ?, last_modified = ?, last_fetched = ?, last_error = ?, next_fetch = ?,
			error_count = ?, interval_ns = ?,
			title = CASE WHEN ? <> '' THEN ? ELSE title END,
			site_url = CASE WHEN ? <> '' THEN ? ELSE site_url END,
			language = CASE WHEN ? <> '' THEN ? ELSE language END
			WHERE id = ?`,
			src.ETag, src.LastModified, timeArg(src.LastFetched), src.LastError, timeArg(src.NextFetch),
			src.ErrorCount, int64(src.Interval),
			src.Title, src.Title, src.SiteURL, src.SiteURL, src.Language, src.Language, src.ID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return store.ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: save fetch state of source %d: %w", src.ID, err)
	}
	return nil
}
