package postgres

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"khabar/internal/store"
)

// Backup file format: a first line "\khabar-backup postgres <schema
// version>", then for each table a line "\khabar-table <name>" followed by
// the table's rows in PostgreSQL's COPY text format. COPY text escapes every
// backslash in the data, so no data line starts with "\k" and the markers
// are unambiguous. For a production database, pg_dump is the better tool
// (docs/DEPLOY.md); this is what `khabar backup` writes, and Restore reads.
const (
	backupMagic  = `\khabar-backup postgres `
	backupMarker = `\khabar-table `
)

// backupTables are the tables in an order that satisfies their foreign keys.
// Crawl rounds and host leases are a running crawl's bookkeeping, not
// content, and are left out.
var backupTables = [...]string{
	"outlets", "sources", "stories", "articles", "article_keywords", "article_entities",
	"article_related", "lsh_bands", "phrase_df", "alerts", "alert_deliveries", "settings",
	"learned_names", "users", "user_articles", "user_follows", "user_item_labels",
}

// replacedTables may hold rows in a store that is otherwise empty: khabar
// writes the built-in outlet profiles, and the setting that records them,
// when it opens a store. The backup's rows replace them.
var replacedTables = [...]string{"outlets", "settings"}

// Backup writes a consistent snapshot of the whole store to path (which
// must not exist yet), read in one repeatable-read transaction while
// workers go on writing.
func (s *Store) Backup(ctx context.Context, path string) (err error) {
	if path == "" {
		return fmt.Errorf("postgres: backup: empty path: %w", store.ErrInvalid)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("postgres: backup: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("postgres: backup: %w", cerr)
		}
		if err != nil {
			os.Remove(path)
		}
	}()
	w := bufio.NewWriterSize(f, 1<<20)
	q, done := s.db(ctx)
	defer done()
	err = pgx.BeginTxFunc(ctx, beginner{q}, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		var version int
		if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM khabar_schema`).Scan(&version); err != nil {
			return fmt.Errorf("schema version: %w", err)
		}
		fmt.Fprintf(w, "%s%d\n", backupMagic, version)
		for _, t := range backupTables {
			fmt.Fprintf(w, "%s%s\n", backupMarker, t)
			if _, err := tx.Conn().PgConn().CopyTo(ctx, w, `COPY `+t+` TO STDOUT`); err != nil {
				return fmt.Errorf("table %s: %w", t, err)
			}
		}
		return w.Flush()
	})
	if err != nil {
		return fmt.Errorf("postgres: backup to %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("postgres: backup to %s: %w", path, err)
	}
	return nil
}

// Restore loads a file written by Backup into this store, which must be
// empty, in one transaction: a failure leaves it empty. The backup must
// come from the same schema version.
func (s *Store) Restore(ctx context.Context, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("postgres: restore: %w", err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<20)
	head, err := br.ReadString('\n')
	if err != nil || !strings.HasPrefix(head, backupMagic) {
		return fmt.Errorf("postgres: restore %s: not a khabar PostgreSQL backup: %w", path, store.ErrInvalid)
	}
	version, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(head, backupMagic)))
	if err != nil {
		return fmt.Errorf("postgres: restore %s: bad header %q: %w", path, strings.TrimSpace(head), store.ErrInvalid)
	}
	if version != SchemaVersion() {
		return fmt.Errorf("postgres: restore %s: backup of schema version %d, this khabar writes %d: %w", path, version, SchemaVersion(), store.ErrInvalid)
	}
	err = s.transact(ctx, func(tx pgx.Tx) error {
		var used bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM articles) OR EXISTS (SELECT 1 FROM sources)
			OR EXISTS (SELECT 1 FROM alerts)`).Scan(&used); err != nil {
			return err
		}
		if used {
			return fmt.Errorf("the store is not empty: %w", store.ErrConflict)
		}
		for {
			line, err := br.ReadString('\n')
			if errors.Is(err, io.EOF) && line == "" {
				break
			}
			if err != nil {
				return fmt.Errorf("read: %w", err)
			}
			table, ok := strings.CutPrefix(strings.TrimSuffix(line, "\n"), backupMarker)
			if !ok || !knownTable(table) {
				return fmt.Errorf("unexpected line %q: %w", truncate(line, 60), store.ErrInvalid)
			}
			if slices.Contains(replacedTables[:], table) {
				if _, err := tx.Exec(ctx, `DELETE FROM `+table); err != nil {
					return fmt.Errorf("table %s: %w", table, err)
				}
			}
			if _, err := tx.Conn().PgConn().CopyFrom(ctx, &sectionReader{br: br}, `COPY `+table+` FROM STDIN`); err != nil {
				return fmt.Errorf("table %s: %w", table, err)
			}
		}
		return resetSequences(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("postgres: restore %s: %w", path, err)
	}
	return nil
}

func knownTable(name string) bool {
	for _, t := range backupTables {
		if t == name {
			return true
		}
	}
	return false
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// resetSequences moves the id sequences past the largest stored ids, after
// rows were inserted with their own ids.
func resetSequences(ctx context.Context, tx pgx.Tx) error {
	for _, t := range []string{"sources", "stories", "articles", "alerts", "users"} {
		if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'),
			GREATEST((SELECT MAX(id) FROM `+t+`), 1), (SELECT MAX(id) FROM `+t+`) IS NOT NULL)`); err != nil {
			return fmt.Errorf("sequence of %s: %w", t, err)
		}
	}
	return nil
}

// sectionReader reads one table's COPY data: whole lines up to the next
// table marker or the end of the file.
type sectionReader struct {
	br   *bufio.Reader
	buf  []byte
	done bool
}

func (r *sectionReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.done {
			return 0, io.EOF
		}
		// At a line start: stop at the next marker.
		if peek, _ := r.br.Peek(len(backupMarker)); bytes.Equal(peek, []byte(backupMarker)) {
			r.done = true
			return 0, io.EOF
		}
		line, err := r.br.ReadBytes('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return 0, err
		}
		if errors.Is(err, io.EOF) {
			r.done = true
		}
		r.buf = line
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}
