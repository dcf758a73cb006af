package web

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// elem describes an element a page must have: its tag ("" for any), the
// attributes it must carry with these values (it may have others; for
// class, the value is one of its classes), and text its content must
// contain, white space collapsed ("" for any).
type elem struct {
	tag   string
	text  string
	attrs []string // name, value, name, value …
}

// el is an elem: tag, text, then attribute name and value pairs.
func el(tag, text string, attrs ...string) elem { return elem{tag: tag, text: text, attrs: attrs} }

func (e elem) String() string {
	var b strings.Builder
	b.WriteString("<" + e.tag)
	for i := 0; i+1 < len(e.attrs); i += 2 {
		b.WriteString(" " + e.attrs[i] + "=\"" + e.attrs[i+1] + "\"")
	}
	b.WriteString(">" + e.text)
	return b.String()
}

func (e elem) matches(n *html.Node) bool {
	if n.Type != html.ElementNode || e.tag != "" && n.Data != e.tag {
		return false
	}
	for i := 0; i+1 < len(e.attrs); i += 2 {
		v, ok := attrOK(n, e.attrs[i])
		if !ok || v != e.attrs[i+1] && (e.attrs[i] != "class" || !slices.Contains(strings.Fields(v), e.attrs[i+1])) {
			return false
		}
	}
	return e.text == "" || strings.Contains(collapse(text(n)), collapse(e.text))
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

func parsePage(t *testing.T, body string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parse page: %v", err)
	}
	return doc
}

// findAll returns the elements under root that e matches, in document
// order.
func findAll(root *html.Node, e elem) []*html.Node {
	var out []*html.Node
	for n := range root.Descendants() {
		if e.matches(n) {
			out = append(out, n)
		}
	}
	return out
}

// mustHave fails for each of es that no element of the page matches.
func mustHave(t *testing.T, body string, es ...elem) {
	t.Helper()
	doc := parsePage(t, body)
	for _, e := range es {
		if len(findAll(doc, e)) == 0 {
			t.Errorf("page has no element %s", e)
		}
	}
}

// has reports whether an element of the page matches e.
func has(t *testing.T, body string, e elem) bool {
	t.Helper()
	return count(t, body, e) > 0
}

// count returns how many elements of the page match e.
func count(t *testing.T, body string, e elem) int {
	t.Helper()
	return len(findAll(parsePage(t, body), e))
}

// mustHaveFollowed fails unless an element of the page matches first and
// the elements after it, its next siblings, match rest in order.
func mustHaveFollowed(t *testing.T, body string, first elem, rest ...elem) {
	t.Helper()
	for _, n := range findAll(parsePage(t, body), first) {
		ok := true
		next := n
		for _, e := range rest {
			next = next.NextSibling
			for next != nil && next.Type != html.ElementNode {
				next = next.NextSibling
			}
			if next == nil || !e.matches(next) {
				ok = false
				break
			}
		}
		if ok {
			return
		}
	}
	t.Errorf("page has no element %s followed by %v", first, rest)
}

// TestMustHave checks the checker: an element matches on tag, attribute
// values and contained text, and nothing else.
func TestMustHave(t *testing.T) {
	doc := parsePage(t, `<html lang="ar" dir="rtl"><body><h1 dir="auto">عنوان <b>الخبر</b></h1><a href="/x" rel="noopener">رابط</a><p class="notice partial">ن</p></body></html>`)
	for _, c := range []struct {
		e    elem
		want bool
	}{
		{el("html", "", "lang", "ar", "dir", "rtl"), true},
		{el("html", "", "lang", "en"), false},
		{el("h1", "عنوان الخبر", "dir", "auto"), true},
		{el("h1", "عنوان آخر"), false},
		{el("h2", ""), false},
		{el("a", "رابط", "href", "/x"), true},
		{el("a", "", "href", "/x", "rel", "nofollow"), false},
		{el("a", "", "title", ""), false},
		{el("", "رابط", "rel", "noopener"), true},
		{el("p", "", "class", "notice"), true},
		{el("p", "", "class", "partial"), true},
		{el("p", "", "class", "notice partial"), true},
		{el("p", "", "class", "notic"), false},
	} {
		if got := len(findAll(doc, c.e)) > 0; got != c.want {
			t.Errorf("%s: found %v, want %v", c.e, got, c.want)
		}
	}
}

// mustHaveTerm fails unless the page has a <dt> holding term whose next
// element is a <dd> whose text is def, white space collapsed (with its
// attributes, name and value pairs).
func mustHaveTerm(t *testing.T, body, term, def string, attrs ...string) {
	t.Helper()
	doc := parsePage(t, body)
	dd := el("dd", def, attrs...)
	for _, n := range findAll(doc, el("dt", term)) {
		next := n.NextSibling
		for next != nil && next.Type != html.ElementNode {
			next = next.NextSibling
		}
		if next != nil && dd.matches(next) && collapse(text(next)) == collapse(def) {
			return
		}
	}
	t.Errorf("page has no <dt>%s</dt> followed by %s", term, dd)
}
