package web

import (
	"html/template"
	"strings"
	"testing"
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

// textEscaper is html/template's own escaping of a string in a text node,
// which escapeText must match byte for byte.
var textEscaper = template.Must(template.New("t").Parse(`{{.}}`))

func templateEscape(t *testing.T, s string) string {
	t.Helper()
	var b strings.Builder
	if err := textEscaper.Execute(&b, s); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// FuzzEscapeText: the article body's fast escaper gives what html/template
// gives, and never lets markup through.
func FuzzEscapeText(f *testing.F) {
	for _, s := range []string{"", "قال المبعوث", "<script>alert(1)</script>", "a & b \"c\" 'd' +e",
		"\x00<\xff\xfe>", "</p><img src=x onerror=alert(1)>", "&lt;already&gt;", "\ufdd0\uffff", "نص <b>عربي</b> & 'رموز'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := string(escapeText(in))
		if want := templateEscape(t, in); got != want {
			t.Fatalf("escapeText(%q) = %q, html/template gives %q", in, got, want)
		}
		if strings.ContainsAny(got, "<>\"'\x00") {
			t.Fatalf("escapeText(%q) = %q keeps markup", in, got)
		}
	})
}
