package feed

import (
	"bytes"
	"os"
	"reflect"
	"strings"
	"testing"

	"khabar/internal/sharedtest"
)

func TestParseOPML(t *testing.T) {
	doc := `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>قائمتي</title></head><body>
  <outline text="الجزيرة" title="Al Jazeera" type="rss" xmlUrl="https://www.aljazeera.net/rss" htmlUrl="https://www.aljazeera.net/"/>
  <outline text="مصر">
    <outline text="اليوم السابع" type="rss" xmlurl="https://www.youm7.com/rss/SectionRss?SectionID=97"/>
    <outline text="أعمق"><outline text="الشروق" xmlUrl="https://www.shorouknews.com/rss/main"/></outline>
  </outline>
  <outline text="dup" xmlUrl="https://www.aljazeera.net/rss"/>
  <outline text="bad" xmlUrl="javascript:alert(1)"/>
  <outline text="just a folder"/>
</body></opml>`
	got, err := ParseOPML([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := []Outline{
		{Title: "Al Jazeera", XMLURL: "https://www.aljazeera.net/rss", HTMLURL: "https://www.aljazeera.net/"},
		{Title: "اليوم السابع", XMLURL: "https://www.youm7.com/rss/SectionRss?SectionID=97", Category: "مصر"},
		{Title: "الشروق", XMLURL: "https://www.shorouknews.com/rss/main", Category: "مصر/أعمق"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestOPMLRoundTrip(t *testing.T) {
	data, err := os.ReadFile(sharedtest.Path(t, "fixtures", "feeds", "arabic-outlets", "outlets.opml"))
	if err != nil {
		t.Fatal(err)
	}
	first, err := ParseOPML(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 52 {
		t.Errorf("%d outlines, want the 52 feeds of the fixture", len(first))
	}
	var buf bytes.Buffer
	if err := WriteOPML(&buf, "khabar", first); err != nil {
		t.Fatal(err)
	}
	second, err := ParseOPML(buf.Bytes())
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.Bytes())
	}
	if !reflect.DeepEqual(first, second) {
		t.Errorf("round trip changed the list:\n%+v\n%+v", first, second)
	}
	if !strings.Contains(buf.String(), `<opml version="2.0">`) {
		t.Errorf("not OPML 2.0: %s", buf.String()[:200])
	}
}

func TestWriteOPMLCategoriesAndEscaping(t *testing.T) {
	in := []Outline{
		{Title: `"Q&A" <news>`, XMLURL: "https://a.example/rss?x=1&y=2"},
		{Title: "ب", XMLURL: "https://b.example/rss", Category: "مصر"},
		{Title: "ج", XMLURL: "https://c.example/rss", Category: "مصر"},
	}
	var buf bytes.Buffer
	if err := WriteOPML(&buf, "t", in); err != nil {
		t.Fatal(err)
	}
	out, err := ParseOPML(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Errorf("got %+v", out)
	}
	if strings.Count(buf.String(), `text="مصر"`) != 1 {
		t.Errorf("category not grouped once:\n%s", buf.String())
	}
}

func TestParseOPMLMalformed(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"empty", "", "empty OPML"},
		{"truncated", `<opml version="2.0"><body><outline text="a" xmlUrl="https://a.example/rss">`, "malformed OPML"},
		{"not xml", `hello`, "malformed OPML"},
		{"rss instead", `<rss version="2.0"><channel/></rss>`, "root element is <rss>"},
		{"no body", `<opml version="2.0"><head/></opml>`, "no <body>"},
		{"only bad urls", `<opml version="2.0"><body><outline xmlUrl="file:///etc/passwd"/></body></opml>`, "no usable feed"},
		{"garbage after", `<opml version="2.0"><body></body></opml><<`, "malformed OPML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseOPML([]byte(tt.doc))
			if err == nil || !strings.HasPrefix(err.Error(), "feed: ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestDiscover(t *testing.T) {
	page := `<!DOCTYPE html><html lang="ar" dir="rtl"><head>
<link rel="stylesheet" href="/s.css">
<link rel="alternate" type="application/rss+xml" title="RSS" href="/feed/">
<link rel="Alternate" type="application/atom+xml" href="https://news.example/atom.xml">
<link rel="alternate" type="application/feed+json" href="feed.json">
<link rel="alternate" type="application/rss+xml" href="/feed/">
<link rel="alternate" hreflang="en" href="/en/">
<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
</head><body><a href="/rss">not a link element</a></body></html>`
	got := Discover([]byte(page), "https://news.example/section/page.html")
	want := []string{"https://news.example/feed/", "https://news.example/atom.xml", "https://news.example/section/feed.json"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	withBase := `<head><base href="https://cdn.example/root/"><link rel="alternate" type="application/rss+xml" href="rss.xml"></head>`
	if got := Discover([]byte(withBase), "https://news.example/"); len(got) != 1 || got[0] != "https://cdn.example/root/rss.xml" {
		t.Errorf("base href: got %q", got)
	}
	if got := Discover([]byte("<p>no feeds"), "https://news.example/"); len(got) != 0 {
		t.Errorf("got %q", got)
	}
}
