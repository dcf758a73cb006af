package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"khabar/internal/model"
	"khabar/internal/store"
)

var sourceColumns = `s.id, s.url, s.title, s.site_url, s.language, s.etag, s.last_modified,
	s.last_fetched, s.last_error, s.next_fetch, s.error_count, s.interval_ns, s.created_at,
	s.outlet, ` + outletColumn("name_ar") + `, ` + outletColumn("name_en") + `, ` + outletColumn("country") + `, ` + outletColumn("kind")

// outletColumn is a column of the profile of s's outlet, ” without one:
// a subquery, which a claim's RETURNING can hold where a join cannot go.
func outletColumn(col string) string {
	return `COALESCE((SELECT o.` + col + ` FROM outlets o WHERE o.key = s.outlet), '')`
}

func scanSource(r pgx.Row, extra ...any) (model.Source, error) {
	var (
		s                               model.Source
		lastFetched, nextFetch, created *time.Time
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
		return fmt.Errorf("postgres: add source: empty URL: %w", store.ErrInvalid)
	}
	if clean(src.URL) != src.URL {
		return fmt.Errorf("postgres: add source %q: URL with a NUL or invalid UTF-8: %w", src.URL, store.ErrInvalid)
	}
	if src.CreatedAt.IsZero() {
		src.CreatedAt = time.Now().UTC().Truncate(time.Microsecond)
	}
	id, err := s.insertSource(ctx, *src, false)
	if err != nil {
		if isUniqueViolation(err) {
			return fmt.Errorf("postgres: add source %q: %w", src.URL, store.ErrConflict)
		}
		return fmt.Errorf("postgres: add source %q: %w", src.URL, err)
	}
	src.ID = id
	return nil
}

// insertSource inserts src, with its own ID when keepID is set (CopyFrom).
func (s *Store) insertSource(ctx context.Context, src model.Source, keepID bool) (int64, error) {
	q, done := s.db(ctx)
	defer done()
	var id any
	if keepID {
		id = src.ID
	}
	var out int64
	err := q.QueryRow(ctx, `INSERT INTO sources
		(id, url, title, site_url, language, etag, last_modified, last_fetched, last_error,
		 next_fetch, error_count, interval_ns, created_at, outlet)
		VALUES (COALESCE($1, nextval(pg_get_serial_sequence('sources', 'id'))),
			$2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
		id, src.URL, clean(src.Title), clean(src.SiteURL), clean(src.Language), clean(src.ETag), clean(src.LastModified),
		timeArg(src.LastFetched), clean(src.LastError), timeArg(src.NextFetch), src.ErrorCount,
		int64(src.Interval), timeArg(src.CreatedAt), clean(src.Outlet.Key)).Scan(&out)
	return out, err
}

// sourceCountQuery is a source's number of articles, which a trigger keeps
// (migration 0008).
const sourceCountQuery = `COALESCE((SELECT c.n FROM source_counts c WHERE c.source_id = s.id), 0)`

// GetSource returns the source with its article count.
func (s *Store) GetSource(ctx context.Context, id int64) (model.Source, error) {
	src, err := s.getSource(ctx, `s.id = $1`, id)
	if err != nil {
		return model.Source{}, fmt.Errorf("postgres: get source %d: %w", id, err)
	}
	return src, nil
}

// GetSourceByURL returns the source with that feed URL.
func (s *Store) GetSourceByURL(ctx context.Context, u string) (model.Source, error) {
	src, err := s.getSource(ctx, `s.url = $1`, u)
	if err != nil {
		return model.Source{}, fmt.Errorf("postgres: get source %q: %w", u, err)
	}
	return src, nil
}

func (s *Store) getSource(ctx context.Context, where string, arg any) (model.Source, error) {
	q, done := s.db(ctx)
	defer done()
	var n int
	src, err := scanSource(q.QueryRow(ctx,
		`SELECT `+sourceColumns+`, `+sourceCountQuery+` FROM sources s WHERE `+where, arg), &n)
	if err != nil {
		return model.Source{}, notFound(err)
	}
	src.Articles = n
	return src, nil
}

// ListSources returns every source by id, with Articles counted.
func (s *Store) ListSources(ctx context.Context) ([]model.Source, error) {
	q, done := s.db(ctx)
	defer done()
	var out []model.Source
	err := runQuery(ctx, q, `SELECT `+sourceColumns+`, COALESCE(c.n, 0)
		FROM sources s
		LEFT JOIN source_counts c ON c.source_id = s.id
		ORDER BY s.id`, func(rows pgx.Rows) error {
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
		return nil, fmt.Errorf("postgres: list sources: %w", err)
	}
	return out, nil
}

// DeleteSource removes the source; its articles stay with their SourceID
// and SourceName.
func (s *Store) DeleteSource(ctx context.Context, id int64) error {
	q, done := s.db(ctx)
	defer done()
	tag, err := q.Exec(ctx, `DELETE FROM sources WHERE id = $1`, id)
	if err == nil && tag.RowsAffected() == 0 {
		err = store.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("postgres: delete source %d: %w", id, err)
	}
	return nil
}

// ClaimDueSources returns up to limit sources whose NextFetch is at or
// before now (a source never fetched is due), earliest first, and in the
// same statement moves their NextFetch to now+lease. Rows another worker
// is claiming at that moment are skipped (FOR UPDATE SKIP LOCKED), so
// workers sharing the database never claim a source twice in a round and
// never wait for each other.
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
		return nil, fmt.Errorf("postgres: claim sources: negative lease %v: %w", lease, store.ErrInvalid)
	}
	until := now.Add(lease).UTC().Truncate(time.Microsecond)
	q, done := s.db(ctx)
	defer done()
	var out []model.Source
	// One statement is one transaction: the inner SELECT locks the rows it
	// picks, skipping rows locked by a concurrent claim, and the UPDATE
	// moves their lease before the locks go. RETURNING gives the rows as
	// updated; the order is restored in the outer SELECT.
	err := runQuery(ctx, q, `WITH picked AS (
			SELECT id, next_fetch AS old_next FROM sources
			WHERE next_fetch IS NULL OR next_fetch <= $1 OR ($2 AND error_count = 0 AND next_fetch > $4)
			ORDER BY next_fetch NULLS FIRST, id
			LIMIT $3
			FOR UPDATE SKIP LOCKED),
		claimed AS (
			UPDATE sources s SET next_fetch = $4
			FROM picked p WHERE s.id = p.id
			RETURNING `+sourceColumns+`, p.old_next)
		SELECT * FROM claimed ORDER BY old_next NULLS FIRST, id`, func(rows pgx.Rows) error {
		var old *time.Time
		src, err := scanSource(rows, &old)
		if err != nil {
			return err
		}
		out = append(out, src)
		return nil
	}, now.UTC(), healthy, limit, until)
	if err != nil {
		return nil, fmt.Errorf("postgres: claim sources: %w", err)
	}
	return out, nil
}

// SaveFetchState writes the polling state of src and, when not empty, its
// Title, SiteURL and Language.
func (s *Store) SaveFetchState(ctx context.Context, src model.Source) error {
	q, done := s.db(ctx)
	defer done()
	tag, err := q.Exec(ctx, `UPDATE sources SET
		etag = $1, last_modified = $2, last_fetched = $3, last_error = $4, next_fetch = $5,
		error_count = $6, interval_ns = $7,
		title = CASE WHEN $8 <> '' THEN $8 ELSE title END,
		site_url = CASE WHEN $9 <> '' THEN $9 ELSE site_url END,
		language = CASE WHEN $10 <> '' THEN $10 ELSE language END
		WHERE id = $11`,
		clean(src.ETag), clean(src.LastModified), timeArg(src.LastFetched), clean(src.LastError), timeArg(src.NextFetch),
		src.ErrorCount, int64(src.Interval), clean(src.Title), clean(src.SiteURL), clean(src.Language), src.ID)
	if err == nil && tag.RowsAffected() == 0 {
		err = store.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("postgres: save fetch state of source %d: %w", src.ID, err)
	}
	return nil
}
