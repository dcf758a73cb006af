package web

import (
	"strings"
	"testing"
	"unicode/utf8"

	"khabar/internal/api"
)

// FuzzSafeSnippet: whatever a searcher returns, the only markup that
// reaches the page is balanced <mark>.
func FuzzSafeSnippet(f *testing.F) {
	for _, s := range []string{"قوات <mark>التحالف</mark>", "<script>x</script>", "<mark onclick=y>a", "a &amp; <b>b</b>", "<<mark>>", "</mark><mark"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := string(safeSnippet(in))
		rest := strings.ReplaceAll(strings.ReplaceAll(out, "<mark>", ""), "</mark>", "")
		if strings.ContainsAny(rest, "<>") {
			t.Fatalf("safeSnippet(%q) = %q keeps markup", in, out)
		}
		if strings.Count(out, "<mark>") != strings.Count(out, "</mark>") {
			t.Fatalf("safeSnippet(%q) = %q is unbalanced", in, out)
		}
	})
}

// FuzzExcerpt: an excerpt is valid UTF-8 and at most max runes plus "…".
func FuzzExcerpt(f *testing.F) {
	f.Add("قال المبعوث الامريكي للتحالف الدولي ان مهمة التحالف لم تنته", 10)
	f.Add("", 5)
	f.Fuzz(func(t *testing.T, in string, max int) {
		if max < 1 || max > 1000 || !utf8.ValidString(in) {
			return
		}
		out := api.Excerpt(in, max)
		if !utf8.ValidString(out) || utf8.RuneCountInString(out) > max+1 {
			t.Fatalf("Excerpt(%q, %d) = %q", in, max, out)
		}
	})
}
