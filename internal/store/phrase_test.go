package store

import (
	"hash/fnv"
	"testing"
)

// TestPhraseHashIsFNV1a keeps PhraseHash what stores already hold: the
// FNV-1a 64-bit hash of the phrase's bytes.
func TestPhraseHashIsFNV1a(t *testing.T) {
	for _, p := range []string{"", "a", "تحالف دولي", "امن غذائي", "\xff\x00x"} {
		h := fnv.New64a()
		h.Write([]byte(p))
		if got, want := PhraseHash(p), int64(h.Sum64()); got != want {
			t.Errorf("PhraseHash(%q) = %d, want %d", p, got, want)
		}
	}
}
