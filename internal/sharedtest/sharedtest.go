// Package sharedtest finds the shared research data for tests and
// benchmarks: the folder "shared" beside the repository's root, which the
// repository never copies. A test that needs it skips when it is absent.
package sharedtest

import (
	"os"
	"path/filepath"
	"testing"
)

// Path returns shared/parts... beside the repository's root (the folder
// holding go.mod, found by walking up from the working directory), or
// skips tb when the repository's root or that path is not there.
func Path(tb testing.TB, parts ...string) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Skipf("no working directory: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Skip("the repository's root (go.mod) is not above the working directory")
		}
		dir = parent
	}
	p := filepath.Join(append([]string{filepath.Dir(dir), "shared"}, parts...)...)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("shared data absent, skipping: %v", err)
	}
	return p
}
