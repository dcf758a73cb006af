package feed

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"khabar/internal/sharedtest"
)

func FuzzParse(f *testing.F) {
	// The real feeds, cut to their first 3 KB: whole 25 KB documents make
	// every minimization of a new input take minutes.
	for _, p := range []string{"aljazeera-arabic-2026-07-28/feed.xml", "bbc-urdu-2018/feed.xml"} {
		if b, err := os.ReadFile(filepath.Join("testdata", p)); err == nil {
			f.Add(b[:min(len(b), 3000)])
		}
	}
	for _, s := range []string{
		`<rss version="2.0"><channel><item><title>x</title><link>/a</link><pubDate>٢٨ يوليو ٢٠٢٦</pubDate></item></channel></rss>`,
		`<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="b"/></entry></feed>`,
		`{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","url":"x"}]}`,
		`<urlset><url><loc>/a</loc><news:news><news:title>t</news:title></news:news></url></urlset>`,
		`<sitemapindex><sitemap><loc>s.xml</loc></sitemap></sitemapindex>`,
		`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><item><title>x</title></item></rdf:RDF>`,
		`<?xml version="1.0" encoding="windows-1256"?><rss><channel><title>` + "\xc7\xe1" + `</title></channel></rss>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		feed, err := Parse(data, "https://news.example/feed")
		if err != nil {
			if feed != nil {
				t.Fatal("feed and error both returned")
			}
			return
		}
		for _, it := range feed.Items {
			if it.URL != "" && !utf8.ValidString(it.URL) && utf8.Valid(data) {
				t.Fatalf("invalid UTF-8 URL from valid input: %q", it.URL)
			}
		}
	})
}

func FuzzParseOPML(f *testing.F) {
	f.Add([]byte(`<opml version="2.0"><body><outline text="a" xmlUrl="https://a.example/rss"><outline xmlUrl="https://b.example/"/></outline></body></opml>`))
	f.Add([]byte(`<opml><body><outline xmlurl="http://x/"/></body></opml>`))
	if p := sharedtest.Find("fixtures", "feeds", "arabic-outlets", "outlets.opml"); p != "" {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := ParseOPML(data)
		if err != nil {
			return
		}
		// What ParseOPML returns, WriteOPML writes and ParseOPML reads back.
		var buf bytes.Buffer
		if err := WriteOPML(&buf, "fuzz", out); err != nil {
			t.Fatal(err)
		}
		again, err := ParseOPML(buf.Bytes())
		if err != nil {
			t.Fatalf("re-parse of written OPML: %v\n%s", err, buf.Bytes())
		}
		if len(again) != len(out) {
			t.Fatalf("round trip: %d outlines, then %d", len(out), len(again))
		}
	})
}
