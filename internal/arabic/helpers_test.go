package arabic

import (
	"os"
	"path/filepath"
	"testing"
)

// readTestdata reads a fixture from this package's testdata, or from the
// extraction and feed packages', where the shared pages and feeds are kept
// once with their licences.
func readTestdata(tb testing.TB, name string) string {
	tb.Helper()
	var err error
	for _, dir := range []string{"testdata", "../extract/testdata", "../feed/testdata"} {
		var data []byte
		if data, err = os.ReadFile(filepath.Join(dir, name)); err == nil {
			return string(data)
		}
	}
	tb.Fatal(err)
	return ""
}
