package sqlite_test

import (
	"testing"

	"khabar/internal/store"
	"khabar/internal/store/sqlite"
	"khabar/internal/store/storetest"
)

func openTemp(t *testing.T) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(t.Context(), t.TempDir())
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openTemp(t) },
		storetest.WithBackupOpener(func(t *testing.T, path string) store.Store {
			s, err := sqlite.OpenFile(t.Context(), path)
			if err != nil {
				t.Fatalf("OpenFile(backup): %v", err)
			}
			return s
		}))
}
