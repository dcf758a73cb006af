// Package sharedtest finds the shared research data for tests and
// benchmarks: the folder "shared" beside the repository's root, which the
// repository never copies. A test that needs it skips when it is absent.
package sharedtest

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Path returns shared/parts... beside the repository's root (the folder
// holding go.mod, found by walking up from the working directory), or
// skips tb when the repository's root or that path is not there.
func Path(tb testing.TB, parts ...string) string {
	tb.Helper()
	p, why := find(parts...)
	if p == "" {
		tb.Skip(why)
	}
	return p
}

// Find is Path for data a test can do without (an extra fuzz seed, an
// optional score): "" when it is absent.
func Find(parts ...string) string {
	p, _ := find(parts...)
	return p
}

func find(parts ...string) (path, why string) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Sprintf("no working directory: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", "the repository's root (go.mod) is not above the working directory"
		}
		dir = parent
	}
	p := filepath.Join(append([]string{filepath.Dir(dir), "shared"}, parts...)...)
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Sprintf("shared data absent, skipping: %v", err)
	}
	return p, ""
}
