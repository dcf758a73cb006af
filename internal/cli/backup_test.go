package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBackupRestore imports a corpus, backs the store up and restores the
// backup into a store that holds nothing: the export is the same (the
// contract suite checks every table the backup carries). Restoring over a store that holds articles, or
// from a file that is no backup, is refused with what was wrong, and the
// store is unchanged.
func TestBackupRestore(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			ctx := context.Background()
			newDB := func() string { return "" }
			if backend == "postgres" {
				newDB = func() string { return postgresURL(t) }
			}
			from, fromDB := t.TempDir(), newDB()
			run := func(data, db string, args ...string) (int, string, string) {
				return runCode2(ctx, data, db, args...)
			}
			if code, out, errOut := run(from, fromDB, "import", syntheticCorpus(t, 40)); code != 0 {
				t.Fatalf("import: %s %s", out, errOut)
			}
			_, want, _ := run(from, fromDB, "export", "--format", "jsonl")
			if strings.Count(want, "\n") != 40 {
				t.Fatalf("export before backup: %d lines, want 40", strings.Count(want, "\n"))
			}
			file := filepath.Join(t.TempDir(), "khabar.backup")
			if code, out, errOut := run(from, fromDB, "backup", file); code != 0 {
				t.Fatalf("backup: %s %s", out, errOut)
			}

			to, toDB := t.TempDir(), newDB()
			if code, out, errOut := run(to, toDB, "restore", file); code != 0 || !strings.Contains(out, "restored") {
				t.Fatalf("restore into an empty store: exit %d, %s %s", code, out, errOut)
			}
			if _, got, _ := run(to, toDB, "export", "--format", "jsonl"); got != want {
				t.Errorf("export of the restored store differs from the original's:\n%.400s\n---\n%.400s", got, want)
			}

			// Over a store that holds articles: refused, nothing changed.
			code, _, errOut := run(to, toDB, "restore", file)
			if code == 0 || !(strings.Contains(errOut, "exists") || strings.Contains(errOut, "not empty")) {
				t.Errorf("restore over a store with articles: exit %d, %q; want a refusal that says why", code, errOut)
			}
			if _, got, _ := run(to, toDB, "export", "--format", "jsonl"); got != want {
				t.Errorf("a refused restore changed the store")
			}

			// Not a backup at all.
			junk := filepath.Join(t.TempDir(), "junk")
			if err := os.WriteFile(junk, []byte("مرحبا، this is not a backup\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			empty, emptyDB := t.TempDir(), newDB()
			if code, _, errOut := run(empty, emptyDB, "restore", junk); code == 0 || !strings.Contains(errOut, "not a") {
				t.Errorf("restore of a junk file: exit %d, %q; want it named as no backup", code, errOut)
			}
			if code, _, errOut := run(empty, emptyDB, "restore", filepath.Join(empty, "missing")); code == 0 || !strings.Contains(errOut, "missing") {
				t.Errorf("restore of a missing file: exit %d, %q", code, errOut)
			}
			if backend == "sqlite" {
				if _, err := os.Stat(filepath.Join(empty, "khabar.db")); err == nil {
					t.Errorf("a failed restore left a store behind")
				}
			}
		})
	}
}
