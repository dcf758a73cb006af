package plaintext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestExcerpt(t *testing.T) {
	text := "قال المبعوث الامريكي للتحالف الدولي ان مهمة التحالف لم تنته بعد،\n\nوأضاف"
	got := Excerpt(text, 30)
	if n := len([]rune(got)); n > 31 || !strings.HasSuffix(got, "…") || strings.Contains(got, "\n") {
		t.Errorf("Excerpt = %q (%d runes)", got, n)
	}
	if got := Excerpt("قصير", 30); got != "قصير" {
		t.Errorf("short text changed: %q", got)
	}
	// Cut at a word boundary, never inside a word.
	for _, w := range strings.Fields(strings.TrimSuffix(got, "…")) {
		if !strings.Contains(text, w+" ") && !strings.Contains(text, w+"،") {
			t.Errorf("word %q cut", w)
		}
	}
}

// TestExcerptMatchesDefinition checks the single-pass Excerpt against
// the plain definition (join the fields, count runes, cut) on every length.
func TestExcerptMatchesDefinition(t *testing.T) {
	def := func(text string, max int) string {
		text = strings.Join(strings.Fields(text), " ")
		r := []rune(text)
		if max <= 0 || len(r) <= max {
			return text
		}
		head := string(r[:max])
		if sp := strings.LastIndexByte(head, ' '); sp > len(head)/2 {
			head = head[:sp]
		}
		return strings.TrimRight(head, " ،,؛;:.-") + "…"
	}
	texts := []string{"", "   ", "قصير", "  قال   المبعوث\n\nان مهمة، التحالف؛ لم تنته.  \t",
		"كلمة طويلةجداجداجداجداجدا وأخرى", "a b c d e f g h i j", "\u00a0نص\u2003بفراغات\u00a0غريبة "}
	for _, text := range texts {
		for max := -1; max <= len([]rune(text))+2; max++ {
			if got, want := Excerpt(text, max), def(text, max); got != want {
				t.Errorf("Excerpt(%q, %d) = %q, want %q", text, max, got, want)
			}
		}
	}
}

// FuzzExcerpt: an excerpt is valid UTF-8 and at most max runes plus "…".
func FuzzExcerpt(f *testing.F) {
	f.Add("قال المبعوث الامريكي للتحالف الدولي ان مهمة التحالف لم تنته", 10)
	f.Add("", 5)
	f.Fuzz(func(t *testing.T, in string, max int) {
		if max < 1 || max > 1000 || !utf8.ValidString(in) {
			return
		}
		out := Excerpt(in, max)
		if !utf8.ValidString(out) || utf8.RuneCountInString(out) > max+1 {
			t.Fatalf("Excerpt(%q, %d) = %q", in, max, out)
		}
	})
}
