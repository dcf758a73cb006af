// Package sqlite is khabar's default store: one SQLite file, <data>/khabar.db,
// reached through the pure-Go driver modernc.org/sqlite so that the binary
// needs no C toolchain.
//
// The database runs in WAL mode. Writes go through a pool of one connection
// whose transactions start with BEGIN IMMEDIATE (SQLite allows one writer,
// and taking the write lock up front avoids deadlocks between a reader that
// upgrades and another writer); reads use a separate pool of read-only
// connections that WAL lets run beside the writer. The schema is a list of
// numbered migrations embedded in the binary (migrations/NNNN_name.sql),
// applied at Open inside a transaction and tracked with PRAGMA user_version.
//
// Times are stored as unix microseconds in UTC (NULL for the zero time), the
// precision PostgreSQL keeps too; values read back are in UTC.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"khabar/internal/store"

	sqlite3 "modernc.org/sqlite"
	sqlite3lib "modernc.org/sqlite/lib"
)

// FileName is the database file inside the data directory.
const FileName = "khabar.db"

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Store is a store.Store over one SQLite file. It is safe for concurrent use.
type Store struct {
	path string
	w    *sql.DB // one connection: every write transaction
	r    *sql.DB // read-only connections
	ckpt *checkpointer

	stmts  stmts     // the write path's prepared statements, on w
	rstmts rstmts    // the import path's reads, on r
	pstmts pageStmts // article and story reads (pages, related reading), on r
}

var _ store.Store = (*Store)(nil)

// Open opens or creates <dir>/khabar.db and brings its schema up to date. A
// database written by a newer khabar (a schema version this binary does not
// know) is refused.
func Open(ctx context.Context, dir string) (*Store, error) {
	if dir == "" {
		return nil, fmt.Errorf("sqlite: open: empty data directory: %w", store.ErrInvalid)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("sqlite: open: %w", err)
	}
	return OpenFile(ctx, filepath.Join(dir, FileName))
}

// driverName is the database/sql driver the store's two pools open:
// modernc.org/sqlite's. A test of the query plans wraps it to see the
// statements pages run.
var driverName = "sqlite"

// OpenFile opens or creates the database at path (Open uses
// <dir>/khabar.db); Backup files open with it.
func OpenFile(ctx context.Context, path string) (*Store, error) {
	w, err := sql.Open(driverName, dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxIdleTime(0)
	w.SetConnMaxLifetime(0)
	s := &Store{path: path, w: w}
	if err := s.migrate(ctx); err != nil {
		w.Close()
		return nil, err
	}
	if err := s.prepare(ctx); err != nil {
		s.closeStmts()
		w.Close()
		return nil, err
	}
	r, err := sql.Open(driverName, dsn(path, true))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	n := max(4, runtime.GOMAXPROCS(0)*2)
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	s.r = r
	if s.ckpt, err = startCheckpointer(path); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.prepareReads(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.preparePages(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	// Page cache sizes, in KiB (negative): the phrase frequencies and the
	// full-text index are updated at pages all over the file, and with
	// SQLite's 2 MiB default a batch of saves spends most of its time
	// re-reading and spilling pages.
	if readOnly {
		q.Add("_pragma", "query_only(1)")
		q.Add("_pragma", "cache_size(-16384)")
		// No memory map (mmap_size 0): each reader connection maps the file
		// on its own, and every mapped page counts in the process's
		// resident size once per connection, so with a map of the whole
		// file a bulk import of a 600 MB store peaked above 1.5 GB.
		q.Add("_pragma", "mmap_size(0)")
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
		// The checkpointer copies the log in the background (see
		// checkpointer); the commit that crosses 1 GiB of log does it
		// itself, should the log ever grow that far.
		q.Add("_pragma", "wal_autocheckpoint(262144)")
		// The writer's cache holds a bulk transaction's dirty pages: when
		// they outgrow it SQLite spills them to the log mid-transaction and
		// writes a page again each time the transaction touches it anew
		// (an import of 31,000 articles wrote 17 GB with 64 MiB). 192 MiB
		// keeps that import's peak under 1 GiB with a batch being saved
		// while the next is placed.
		q.Add("_pragma", "cache_size(-196608)")
		// Statement journals (of the few statements that may still fail
		// half-way, migration 0004) kept in memory, not in a temporary file.
		q.Add("_pragma", "temp_store(MEMORY)")
		q.Set("_txlock", "immediate")
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// Close closes both connection pools.
func (s *Store) Close() error {
	var errs []error
	if s.ckpt != nil {
		errs = append(errs, s.ckpt.close())
	}
	s.closeStmts()
	errs = append(errs, s.closePageStmts())
	if s.r != nil {
		errs = append(errs, s.r.Close())
	}
	errs = append(errs, s.w.Close())
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("sqlite: close: %w", err)
	}
	return nil
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// loadMigrations reads the embedded migrations, in version order.
func loadMigrations() ([]store.Migration, error) {
	ms, err := store.LoadMigrations(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
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

// migrate applies the migrations the database lacks, each in its own
// transaction together with the user_version that records it, so that a
// crash leaves the database at a whole version and a second run is a no-op
// (also when two processes open a fresh store at once).
func (s *Store) migrate(ctx context.Context) error {
	ms, err := loadMigrations()
	if err != nil {
		return err
	}
	var cur int
	if err := s.w.QueryRowContext(ctx, "PRAGMA user_version").Scan(&cur); err != nil {
		return fmt.Errorf("sqlite: open %s: read schema version: %w", s.path, err)
	}
	if cur > len(ms) {
		return fmt.Errorf("sqlite: open %s: database schema version %d is newer than this khabar knows (%d); use a newer khabar", s.path, cur, len(ms))
	}
	return s.applyMigrations(ctx, ms[cur:])
}

// applyMigrations applies ms in order, each unless the database already
// has it.
func (s *Store) applyMigrations(ctx context.Context, ms []store.Migration) error {
	for _, m := range ms {
		err := s.transact(ctx, func(tx *sql.Tx) error {
			// Read again under the write lock: another process opening the
			// same fresh store may have applied it meanwhile.
			var now int
			if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&now); err != nil {
				return err
			}
			if now >= m.Version {
				return nil
			}
			skip, err := skipMigration(ctx, tx, m.Version)
			if err != nil {
				return err
			}
			if !skip {
				if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
					return err
				}
			}
			// PRAGMA takes no bound parameters; the version is an integer we made.
			_, err = tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.Version))
			return err
		})
		if err != nil {
			return fmt.Errorf("sqlite: open %s: migration %s: %w", s.path, m.Name, err)
		}
	}
	return nil
}

// skipMigration reports whether the migration to version v is recorded
// without running: 0007 (the ascii full-text tokenizer) runs only on a
// store without articles, as its file says.
func skipMigration(ctx context.Context, tx *sql.Tx, v int) (bool, error) {
	if v != 7 {
		return false, nil
	}
	var any bool
	err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM articles)").Scan(&any)
	return any, err
}

// transact runs fn in a write transaction, committing when fn returns nil.
func (s *Store) transact(ctx context.Context, fn func(*sql.Tx) error) (err error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
		if err != nil {
			tx.Rollback()
			return
		}
		if err = tx.Commit(); err == nil && s.ckpt != nil {
			s.ckpt.poke()
		}
	}()
	return fn(tx)
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// runQuery runs query and calls f for each row; it always closes the rows
// and reports rows.Err. q may be a *sql.Stmt, whose own query it runs.
func runQuery(ctx context.Context, q any, query string, f func(*sql.Rows) error, args ...any) error {
	var (
		rows *sql.Rows
		err  error
	)
	switch q := q.(type) {
	case *sql.Stmt:
		rows, err = q.QueryContext(ctx, args...)
	case querier:
		rows, err = q.QueryContext(ctx, query, args...)
	default:
		return fmt.Errorf("sqlite: runQuery on %T", q)
	}
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := f(rows); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return rows.Close()
}

// IntegrityCheck runs PRAGMA integrity_check and returns an error listing
// the problems it reports, or nil when it says ok.
//
// It runs on a connection of its own: SQLite's FTS5 integrity check (3.54)
// trusts the index structure a connection cached at its last FTS5 use, so on
// a pooled reader that has not queried the index since other connections
// wrote to it, it reports "fts5: corruption found" for a sound file.
func (s *Store) IntegrityCheck(ctx context.Context) error {
	db, err := sql.Open("sqlite", dsn(s.path, true))
	if err != nil {
		return fmt.Errorf("sqlite: integrity check: %w", err)
	}
	defer db.Close()
	var problems []string
	err = runQuery(ctx, db, "PRAGMA integrity_check", func(rows *sql.Rows) error {
		var msg string
		if err := rows.Scan(&msg); err != nil {
			return err
		}
		if msg != "ok" {
			problems = append(problems, msg)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: integrity check: %w", err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("sqlite: integrity check failed: %s", strings.Join(problems, "; "))
	}
	return nil
}

// Backup writes a consistent snapshot of the database to path with VACUUM
// INTO. path must not exist yet.
func (s *Store) Backup(ctx context.Context, path string) error {
	if path == "" {
		return fmt.Errorf("sqlite: backup: empty path: %w", store.ErrInvalid)
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("sqlite: backup: %s: %w", path, fs.ErrExist)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	// A connection of its own: the read pool is query_only, and the writer
	// should stay free for writes while the copy runs (in WAL mode the copy
	// reads one snapshot without blocking them).
	db, err := sql.Open("sqlite", dsn(s.path, false))
	if err != nil {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return fmt.Errorf("sqlite: backup to %s: %w", path, err)
	}
	if err := db.Close(); err != nil {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	return nil
}

// isUniqueViolation reports whether err is a UNIQUE or PRIMARY KEY constraint failure.
func isUniqueViolation(err error) bool {
	var se *sqlite3.Error
	if errors.As(err, &se) {
		c := se.Code()
		return c == sqlite3lib.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3lib.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// isForeignKeyViolation reports whether err is a FOREIGN KEY constraint failure.
func isForeignKeyViolation(err error) bool {
	var se *sqlite3.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3lib.SQLITE_CONSTRAINT_FOREIGNKEY
	}
	return false
}

// notFound turns sql.ErrNoRows into store.ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return store.ErrNotFound
	}
	return err
}

// Time conversion: unix microseconds in UTC, NULL for the zero time.

func timeArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMicro()
}

func timeVal(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMicro(v.Int64).UTC()
}

func micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}
