package search

import (
	"testing"
	"unicode/utf8"
)

// FuzzTruncate checks truncate, which reads only the runes it keeps,
// against the plain definition: the first n runes, and "…" when some were
// left out.
func FuzzTruncate(f *testing.F) {
	f.Add("نص الخبر عن الاقتصاد", 5)
	f.Add("abc", 3)
	f.Add("", 0)
	f.Add("ﷺ\u0301e\u0301", 2)
	f.Fuzz(func(t *testing.T, s string, n int) {
		if n < 0 || n > 1<<16 || !utf8.ValidString(s) {
			return
		}
		want := s
		if r := []rune(s); len(r) > n {
			want = string(r[:n]) + "…"
		}
		if got := truncate(s, n); got != want {
			t.Fatalf("truncate(%q, %d) = %q, want %q", s, n, got, want)
		}
	})
}
