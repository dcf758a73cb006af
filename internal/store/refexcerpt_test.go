package store

import (
	"strings"
	"testing"
	"unicode/utf8"

	"khabar/internal/plaintext"
)

// FuzzRefExcerpt: the excerpt of a link is the excerpt of the whole text
// when the store read all of it, and otherwise that of the start it read,
// ending in "…" when it has any word; it never panics and never holds
// more than RefExcerptRunes runes and the "…".
func FuzzRefExcerpt(f *testing.F) {
	for _, s := range []string{"", "خبر قصير.", strings.Repeat("كلمة ", 300), "البداية" + strings.Repeat(" ", 900) + "بقية",
		"\xff\xfe", strings.Repeat("a", 801), strings.Repeat("ب", 800)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		got := RefExcerpt(text)
		if n := utf8.RuneCountInString(strings.TrimSuffix(got, "…")); n > RefExcerptRunes {
			t.Fatalf("RefExcerpt(%q) = %q: %d runes", text, got, n)
		}
		if utf8.RuneCountInString(text) <= 4*RefExcerptRunes {
			if want := plaintext.Excerpt(text, RefExcerptRunes); got != want {
				t.Fatalf("RefExcerpt(%q) = %q, want the whole text's %q", text, got, want)
			}
			return
		}
		start := text
		for i := range text {
			if utf8.RuneCountInString(text[:i]) == 4*RefExcerptRunes {
				start = text[:i]
				break
			}
		}
		want := plaintext.Excerpt(start, RefExcerptRunes)
		if want != "" && !strings.HasSuffix(want, "…") {
			want += "…"
		}
		if got != want {
			t.Fatalf("RefExcerpt(%d runes) = %q, want %q", utf8.RuneCountInString(text), got, want)
		}
	})
}
