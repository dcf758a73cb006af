// Package postgres is khabar's shared store: one PostgreSQL database that
// any number of khabar processes (crawl workers, web nodes) use at once.
// It implements every store interface with the semantics of store/sqlite
// and passes the same contract suite (store/storetest).
//
// The schema is a list of numbered migrations embedded in the binary
// (migrations/NNNN_name.sql), applied at Open in one transaction that first
// takes a transaction-scoped advisory lock, so that processes starting
// together apply them once; the applied versions are kept in the table
// khabar_schema.
//
// Full-text search indexes khabar's own analysed forms (store.IndexData):
// the Go code builds the tsvector value itself, term by term, and the
// tsquery the same way, both passed as bound parameters. No server
// text-search configuration or parser takes part, so results do not depend
// on the server's locale or default_text_search_config.
//
// Workers cooperate through row locks: claims use FOR UPDATE SKIP LOCKED;
// saves lock the article's row, then its stories in id order, then phrase
// frequencies in hash order; WithBandLock serialises the story decision of
// articles that share an LSH band across processes. A transaction aborted
// for a deadlock or a serialization failure is rerun; saving articles,
// idempotent by URL, is rerun also when the connection broke midway.
//
// Differences from store/sqlite that callers may see: relevance is ts_rank
// rather than bm25 (same ordering rules, other numbers); every search match
// is ranked (SQLite ranks the best 1000 by relevance alone when unfiltered);
// text fields lose NUL characters and invalid UTF-8 bytes become U+FFFD,
// which PostgreSQL cannot store.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"khabar/internal/store"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Advisory lock classes (the first key of pg_advisory_lock(int, int)), so
// that khabar's locks do not collide with another application's on the
// same database.
const (
	lockClassMigrate = 0x6b68 // "kh": schema migrations
	lockClassBand    = 0x6b62 // "kb": LSH band keys
)

// maxAttempts bounds the retries of a transaction that PostgreSQL aborted
// for a deadlock or a serialization failure.
const maxAttempts = 5

// Store is a store.Store over one PostgreSQL database. It is safe for
// concurrent use, and any number of Stores (in any number of processes)
// may share a database.
type Store struct {
	pool *pgxpool.Pool
}

var _ store.Store = (*Store)(nil)

// Open connects to the database at url (a postgres:// URL or a libpq
// key=value string; pool_max_conns and the other pgxpool parameters are
// accepted), checks the server, and brings the schema up to date. A
// database whose schema is newer than this binary knows is refused.
func Open(ctx context.Context, url string) (*Store, error) {
	if strings.TrimSpace(url) == "" {
		return nil, fmt.Errorf("postgres: open: empty database URL: %w", store.ErrInvalid)
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// The parse error may quote the URL, password included.
		return nil, fmt.Errorf("postgres: open: bad database URL: %w", store.ErrInvalid)
	}
	return OpenConfig(ctx, cfg)
}

// OpenConfig is Open with a parsed pool configuration.
func OpenConfig(ctx context.Context, cfg *pgxpool.Config) (*Store, error) {
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: open: connect to %s: %w", describe(cfg), err)
	}
	s := &Store{pool: pool}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// describe names the server of cfg without its password.
func describe(cfg *pgxpool.Config) string {
	c := cfg.ConnConfig
	return fmt.Sprintf("%s@%s:%d/%s", c.User, c.Host, c.Port, c.Database)
}

// Close closes the connection pool, waiting for connections in use.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Pool is the connection pool, for tests and tools.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// loadMigrations reads the embedded migrations, in version order.
func loadMigrations() ([]store.Migration, error) {
	ms, err := store.LoadMigrations(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return ms, nil
}

// SchemaVersion is the schema version this binary writes.
func SchemaVersion() int {
	ms, err := loadMigrations()
	if err != nil {
		return 0
	}
	return len(ms)
}

// migrate applies the migrations the database lacks in one transaction.
// The transaction first takes an advisory lock, so a second process
// starting at the same moment waits, then finds the work done; the version
// table records each migration in the same transaction as its statements,
// so the database is always at a whole version and a rerun is a no-op.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := loadMigrations()
	if err != nil {
		return err
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, 0)`, lockClassMigrate); err != nil {
			return fmt.Errorf("lock: %w", err)
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS khabar_schema (
			version    integer PRIMARY KEY,
			name       text NOT NULL,
			applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
			return fmt.Errorf("version table: %w", err)
		}
		var cur int
		if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM khabar_schema`).Scan(&cur); err != nil {
			return fmt.Errorf("read schema version: %w", err)
		}
		if cur > len(ms) {
			return fmt.Errorf("database schema version %d is newer than this khabar knows (%d); use a newer khabar", cur, len(ms))
		}
		for _, m := range ms[cur:] {
			if _, err := tx.Exec(ctx, m.SQL); err != nil {
				return fmt.Errorf("migration %s: %w", m.Name, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO khabar_schema (version, name) VALUES ($1, $2)`, m.Version, m.Name); err != nil {
				return fmt.Errorf("migration %s: %w", m.Name, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: open: %w", err)
	}
	return nil
}

// dbtx is what pgxpool.Pool, pgx.Tx and pgx.Conn have in common.
type dbtx interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Begin(ctx context.Context) (pgx.Tx, error)
}

// heldConn is a connection WithBandLock holds for the calls made with the
// context it passes on; mu serialises them, since a connection runs one
// statement at a time.
type heldConn struct {
	mu   sync.Mutex
	conn *pgx.Conn
}

type heldKey struct{}

// db returns what a call with ctx runs on — the pool, or the connection
// WithBandLock holds — and a function to call when done with it.
func (s *Store) db(ctx context.Context) (dbtx, func()) {
	if h, ok := ctx.Value(heldKey{}).(*heldConn); ok {
		h.mu.Lock()
		return h.conn, h.mu.Unlock
	}
	return pooled{s.pool}, func() {}
}

// transact runs fn in a read-committed transaction, committing when fn
// returns nil. A transaction that PostgreSQL aborted for a deadlock or a
// serialization failure, or that failed before anything reached the
// server, is retried from the start (fn must be safe to rerun); any other
// error rolls back and is returned.
func (s *Store) transact(ctx context.Context, fn func(pgx.Tx) error) error {
	return s.transactRetry(ctx, fn, retryable)
}

// transactIdempotent is transact for work whose rerun after a commit
// changes nothing (saving articles by URL): it is retried also when the
// connection was lost midway, when whether it committed is unknown.
func (s *Store) transactIdempotent(ctx context.Context, fn func(pgx.Tx) error) error {
	return s.transactRetry(ctx, fn, func(err error) bool { return retryable(err) || connectionLost(err) })
}

func (s *Store) transactRetry(ctx context.Context, fn func(pgx.Tx) error, retry func(error) bool) error {
	var err error
	for attempt := 1; ; attempt++ {
		err = s.beginFunc(ctx, fn)
		if err == nil || !retry(err) || attempt == maxAttempts || ctx.Err() != nil {
			return err
		}
		// Back off a little, longer each time, so that the transactions
		// that collided do not collide again.
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-time.After(time.Duration(attempt*attempt) * 5 * time.Millisecond):
		}
	}
}

func (s *Store) beginFunc(ctx context.Context, fn func(pgx.Tx) error) error {
	q, done := s.db(ctx)
	defer done()
	return pgx.BeginFunc(ctx, q, fn)
}

// retryable reports whether err aborted a transaction that can be rerun.
func retryable(err error) bool {
	if errors.Is(err, errRaced) || pgconn.SafeToRetry(err) {
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "40001" || pe.Code == "40P01" // serialization_failure, deadlock_detected
	}
	return false
}

// connectionLost reports whether err says the connection to the server
// broke: the server shut it down (class 57P), the connection failed (class
// 08), the network did, or the driver had closed it after one of those.
func connectionLost(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return strings.HasPrefix(pe.Code, "57P") || strings.HasPrefix(pe.Code, "08")
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, pgconn.ErrConnClosed)
}

// runQuery runs query and calls f for each row; it always closes the rows
// and reports rows.Err.
func runQuery(ctx context.Context, q dbtx, query string, f func(pgx.Rows) error, args ...any) error {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := f(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// isUniqueViolation reports whether err is a unique constraint failure.
func isUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// isForeignKeyViolation reports whether err is a foreign key failure.
func isForeignKeyViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23503"
}

// notFound turns pgx.ErrNoRows into store.ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return store.ErrNotFound
	}
	return err
}

// Time conversion: timestamptz, NULL for the zero time; read back in UTC.

func timeArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

func timeVal(p *time.Time) time.Time {
	if p == nil {
		return time.Time{}
	}
	return p.UTC()
}

// strs turns nil into an empty list for NOT NULL array columns.
func strs(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}

func int64s(v []int64) []int64 {
	if v == nil {
		return []int64{}
	}
	return v
}

// clean makes s storable in a PostgreSQL text column, which holds neither
// NUL characters nor invalid UTF-8 (SQLite stores both): NULs are dropped
// and invalid bytes become U+FFFD.
func clean(s string) string {
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", "")
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return s
}

// cleanAll is clean over a list; it returns v itself when nothing changes.
func cleanAll(v []string) []string {
	var out []string
	for i, s := range v {
		if c := clean(s); c != s {
			if out == nil {
				out = slices.Clone(v)
			}
			out[i] = c
		}
	}
	if out == nil {
		return v
	}
	return out
}
