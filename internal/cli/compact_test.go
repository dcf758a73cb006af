package cli

import (
	"database/sql"
	"path/filepath"
	"testing"

	_ "modernc.org/sqlite"

	"khabar/internal/ingest/bulk"
)

// TestImportCompactsIndex: an import into an empty store leaves its search
// index in one piece (store.IndexCompactor), and a small import into a
// larger store leaves the pieces as they are.
func TestImportCompactsIndex(t *testing.T) {
	ctx := t.Context()
	data := t.TempDir()
	segments := func() int {
		t.Helper()
		db, err := sql.Open("sqlite", "file:"+filepath.Join(data, "khabar.db")+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(DISTINCT segid) FROM articles_fts_idx`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	// Three batches: a piece of the index each.
	const n = 2*bulk.DefaultSize + 100
	run(t, ctx, data, "", "import", "--related=false", syntheticCorpus(t, n))
	if n := segments(); n != 1 {
		t.Errorf("after importing into an empty store: %d index segments, want 1", n)
	}
	// The same articles and five more each time: five new ones an import.
	for i := range 3 {
		run(t, ctx, data, "", "import", "--related=false", syntheticCorpus(t, n+5*(i+1)))
	}
	if n := segments(); n < 2 {
		t.Errorf("after three small imports: %d index segments; a small import should not rewrite the index", n)
	}
}
