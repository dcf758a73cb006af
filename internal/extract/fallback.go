package extract

import (
	"net/url"
	"strings"
	"unicode/utf8"

	readability "github.com/go-shiori/go-readability"
	"golang.org/x/net/html"
)

// guardedFallback offers readability's reading of the page when
// go-trafilatura's text looks truncated, and takes it only when it is much
// longer and contains most of what go-trafilatura found. go-trafilatura's
// own fallback switches on length alone and then swaps articles for comment
// threads or navigation (see TestBenchmarkScore's ablations).
func guardedFallback(doc *html.Node, base *url.URL, own string) (text, htmlOut string, ok bool) {
	art, err := readability.FromDocument(doc, base)
	if err != nil || art.Node == nil {
		return "", "", false
	}
	cand := nodeText(art.Node)
	ownRunes, candRunes := utf8.RuneCountInString(own), utf8.RuneCountInString(cand)
	switch {
	case candRunes == 0:
		return "", "", false
	case ownRunes == 0:
	case candRunes > 2*ownRunes && containment(own, cand) >= fallbackContainment && !repeatsLines(cand):
	default:
		return "", "", false
	}
	var b strings.Builder
	if html.Render(&b, art.Node) != nil {
		return "", "", false
	}
	return cand, b.String(), true
}

// repeatsLines tells whether a short line recurs three times or more: the
// share bar under each item of a listing page, which readability then
// takes whole.
func repeatsLines(text string) bool {
	seen := map[string]int{}
	for _, p := range strings.Split(text, "\n\n") {
		if utf8.RuneCountInString(p) <= 80 {
			seen[p]++
			if seen[p] >= 3 {
				return true
			}
		}
	}
	return false
}

// fallbackContainment is the share of go-trafilatura's word 4-grams a
// fallback text must contain to replace it.
const fallbackContainment = 0.6

// containment is the share of a's word 4-grams found in b.
func containment(a, b string) float64 {
	as, bs := shingleSet(a), shingleSet(b)
	if len(as) == 0 {
		return 0
	}
	n := 0
	for k := range as {
		if bs[k] {
			n++
		}
	}
	return float64(n) / float64(len(as))
}

func shingleSet(s string) map[string]bool {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !isWordRune(r) })
	out := make(map[string]bool, len(words))
	for i := 0; i+4 <= len(words); i++ {
		out[strings.Join(words[i:i+4], " ")] = true
	}
	if len(words) > 0 && len(words) < 4 {
		out[strings.Join(words, " ")] = true
	}
	return out
}
