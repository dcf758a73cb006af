package entities

import (
	"os"
	"testing"

	"khabar/internal/sharedtest"
)

// referenceArticle is the article part of the reference aggregator page
// (up to its tag line), read from ../shared.
func referenceArticle(t testing.TB) string {
	raw, err := os.ReadFile(sharedtest.Path(t, "reference", "aggregator-page.txt"))
	if err != nil {
		t.Skipf("reference page: %v", err)
	}
	return string(raw)
}
