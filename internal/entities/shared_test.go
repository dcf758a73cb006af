package entities

import (
	"os"
	"path/filepath"
	"testing"
)

// sharedDir finds ../shared beside the repository root by walking up from
// the test's directory; tests that need it skip when it is absent.
func sharedDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Skipf("no working directory: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			s := filepath.Join(filepath.Dir(dir), "shared")
			if fi, err := os.Stat(s); err == nil && fi.IsDir() {
				return s
			}
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	t.Skip("../shared is absent: skipping a test on shared data")
	return ""
}

// referenceArticle is the article part of the reference aggregator page
// (up to its tag line), read from ../shared.
func referenceArticle(t testing.TB) string {
	raw, err := os.ReadFile(filepath.Join(sharedDir(t), "reference", "aggregator-page.txt"))
	if err != nil {
		t.Skipf("reference page: %v", err)
	}
	return string(raw)
}
