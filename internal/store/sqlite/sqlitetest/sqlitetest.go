// Package sqlitetest opens SQLite stores for the tests of the packages
// above the store: a fresh store in the test's temporary folder, closed
// when the test ends.
package sqlitetest

import (
	"context"
	"testing"

	"khabar/internal/store/sqlite"
)

// Open returns a new store in a temporary folder of t, closed at t's end.
func Open(t testing.TB) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatalf("sqlite: open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
