package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"khabar/internal/store"
)

// sqliteMagic begins every SQLite database file.
var sqliteMagic = []byte("SQLite format 3\x00")

// Restore makes the file at path, written by Backup, the store of dir,
// which must hold none yet: restoring never replaces a store. The file is
// copied (the backup itself stays as it was), checked to be a khabar store,
// and opened once, which brings an older schema up to date and refuses a
// newer one. On any failure dir is left without a store.
func Restore(ctx context.Context, path, dir string) (err error) {
	if path == "" || dir == "" {
		return fmt.Errorf("sqlite: restore: empty path: %w", store.ErrInvalid)
	}
	dst := filepath.Join(dir, FileName)
	for _, p := range []string{dst, dst + "-wal"} {
		if _, err := os.Lstat(p); err == nil {
			return fmt.Errorf("sqlite: restore: %s exists: restore into a data folder that holds no store: %w", p, store.ErrConflict)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("sqlite: restore: %w", err)
		}
	}
	src, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("sqlite: restore: %w", err)
	}
	defer src.Close()
	head := make([]byte, len(sqliteMagic))
	if _, err := io.ReadFull(src, head); err != nil || !bytes.Equal(head, sqliteMagic) {
		return fmt.Errorf("sqlite: restore %s: not a SQLite database (a khabar backup of the embedded store is one): %w", path, store.ErrInvalid)
	}
	if _, err := src.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("sqlite: restore: %w", err)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("sqlite: restore: %w", err)
	}
	tmp := dst + ".restoring"
	defer func() {
		if err != nil {
			os.Remove(tmp)
			for _, p := range []string{dst, dst + "-wal", dst + "-shm"} {
				os.Remove(p)
			}
		}
	}()
	if err := copyFile(tmp, src); err != nil {
		return fmt.Errorf("sqlite: restore %s: %w", path, err)
	}
	if err := checkKhabarFile(ctx, tmp); err != nil {
		return fmt.Errorf("sqlite: restore %s: %w", path, err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		return fmt.Errorf("sqlite: restore: %w", err)
	}
	s, err := Open(ctx, dir)
	if err != nil {
		return fmt.Errorf("sqlite: restore %s: %w", path, err)
	}
	return s.Close()
}

// copyFile writes src to a new file at dst and syncs it.
func copyFile(dst string, src io.Reader) error {
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, src); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// checkKhabarFile reads, without writing, that the database at path has a
// schema version and khabar's articles and sources tables.
func checkKhabarFile(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		return err
	}
	defer db.Close()
	var version, tables int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("not a readable SQLite database: %v: %w", err, store.ErrInvalid)
	}
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master
		WHERE type = 'table' AND name IN ('articles', 'sources')`).Scan(&tables); err != nil {
		return fmt.Errorf("not a readable SQLite database: %v: %w", err, store.ErrInvalid)
	}
	if version == 0 || tables != 2 {
		return fmt.Errorf("a SQLite database, but not a khabar store: %w", store.ErrInvalid)
	}
	return nil
}
