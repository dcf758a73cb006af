package extract

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzExtract feeds arbitrary bytes to Extract: it must return a result or
// an error, never panic, and a result's text must be valid UTF-8 with no
// empty paragraphs.
func FuzzExtract(f *testing.F) {
	f.Add([]byte(aggregatorPage), "https://news.example.test/a")
	f.Add([]byte(`<html><head><script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","datePublished":"٢٠٢٦-٠٧-٠٧","author":[[{}]]}]}</script></head><body><h1>x</h1><time datetime="2024-13-45">أمس</time><p>(واس) -</p></body></html>`), "")
	f.Add([]byte("<p>المصدر: </p><p>/-</p><table><tr><td>١</td></tr></table>"), "http://x.test/2024/02/30/")
	f.Add([]byte("\xff\xfe\x00<"), "https://x.test")
	f.Fuzz(func(t *testing.T, page []byte, pageURL string) {
		res, err := Extract(page, pageURL, Options{})
		if err != nil {
			if res != nil {
				t.Fatal("result with error")
			}
			if !strings.HasPrefix(err.Error(), "extract: ") && !errors.Is(err, ErrEmpty) {
				t.Fatalf("error without package prefix: %v", err)
			}
			return
		}
		if !utf8.ValidString(res.Text) || !utf8.ValidString(res.Title) {
			t.Fatal("invalid UTF-8 in the result")
		}
		if res.Text != "" {
			for _, p := range strings.Split(res.Text, "\n\n") {
				if strings.TrimSpace(p) == "" {
					t.Fatalf("empty paragraph in %q", res.Text)
				}
			}
		}
	})
}
