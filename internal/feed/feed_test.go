package feed

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAlJazeeraFixture(t *testing.T) {
	f, err := Parse(readFixture(t, "aljazeera-arabic-2026-07-28/feed.xml"), "https://www.aljazeera.net/aljazeerarss/a7c186be-1baa-4bd4-9d80-a84db769f779/73d0e1b4-532f-45ef-b135-bfdff8b8cab9")
	if err != nil {
		t.Fatal(err)
	}
	if f.Format != FormatRSS || f.Title != "الجزيرة نت" || f.Language != "ar" || f.SiteURL != "https://www.aljazeera.net" {
		t.Errorf("feed: %q %q %q %q", f.Format, f.Title, f.Language, f.SiteURL)
	}
	if len(f.Items) != 25 {
		t.Fatalf("%d items, want 25", len(f.Items))
	}
	first := f.Items[0]
	// pubDate "Tue, 28 Jul 2026 09:39:20 +0300" is 06:39:20 UTC.
	if want := time.Date(2026, 7, 28, 6, 39, 20, 0, time.UTC); !first.Published.Equal(want) {
		t.Errorf("published %v, want %v", first.Published, want)
	}
	for i, it := range f.Items {
		if !strings.HasPrefix(it.URL, "https://www.aljazeera.net/") || it.Title == "" || it.GUID == "" || it.Published.IsZero() {
			t.Errorf("item %d incomplete: %+v", i, it)
		}
	}
}

func TestBBCUrduFixture(t *testing.T) {
	f, err := Parse(readFixture(t, "bbc-urdu-2018/feed.xml"), "https://feeds.bbci.co.uk/urdu/rss.xml")
	if err != nil {
		t.Fatal(err)
	}
	if f.Language != "ur" || len(f.Items) != 26 {
		t.Fatalf("language %q, %d items", f.Language, len(f.Items))
	}
	it := f.Items[0]
	if it.GUID != "http://www.bbc.com/urdu/pakistan-42575603" {
		t.Errorf("GUID %q", it.GUID)
	}
	if !strings.HasPrefix(it.Image, "http://c.files.bbci.co.uk/") {
		t.Errorf("image %q, want the media:thumbnail", it.Image)
	}
	if want := time.Date(2018, 1, 5, 16, 51, 0, 0, time.UTC); !it.Published.Equal(want) {
		t.Errorf("published %v", it.Published)
	}
	if !strings.Contains(it.Title, "امریکی عسکری امداد") || it.Summary == "" {
		t.Errorf("title %q summary %q", it.Title, it.Summary)
	}
}

func TestFormats(t *testing.T) {
	tests := []struct {
		name, doc string
		format    Format
		check     func(t *testing.T, f *Feed)
	}{
		{"rss2 relative links, dc:creator, content:encoded, enclosure", `<?xml version="1.0"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title> أخبار  اليوم </title><link>/</link><language>ar</language>
<item><title>خبر</title><link>/news/1</link><guid isPermaLink="false">id-1</guid>
<description>&lt;p&gt;ملخص&lt;/p&gt;</description><content:encoded><![CDATA[<p>النص الكامل</p>]]></content:encoded>
<dc:creator>أحمد علي</dc:creator><dc:creator>منى سالم</dc:creator>
<enclosure url="/img/1.jpg" type="image/jpeg" length="1"/>
<pubDate>Tue, 28 Jul 2026 09:39:20 +0300</pubDate></item>
</channel></rss>`, FormatRSS, func(t *testing.T, f *Feed) {
			it := f.Items[0]
			if f.Title != "أخبار اليوم" || f.SiteURL != "https://news.example/" {
				t.Errorf("feed %q %q", f.Title, f.SiteURL)
			}
			if it.URL != "https://news.example/news/1" || it.GUID != "id-1" {
				t.Errorf("url %q guid %q", it.URL, it.GUID)
			}
			if it.Summary != "<p>ملخص</p>" || it.Content != "<p>النص الكامل</p>" {
				t.Errorf("summary %q content %q", it.Summary, it.Content)
			}
			if strings.Join(it.Authors, "|") != "أحمد علي|منى سالم" {
				t.Errorf("authors %q", it.Authors)
			}
			if it.Image != "https://news.example/img/1.jpg" {
				t.Errorf("image %q", it.Image)
			}
		}},
		{"rss 0.91 no guid", `<rss version="0.91"><channel><title>t</title><item><title>x</title><link>https://news.example/a</link></item></channel></rss>`,
			FormatRSS, func(t *testing.T, f *Feed) {
				if f.Items[0].GUID != "https://news.example/a" {
					t.Errorf("guid %q", f.Items[0].GUID)
				}
			}},
		{"rss1 rdf", `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://dw.example/"><title>DW</title><link>https://dw.example/</link></channel>
<item rdf:about="https://dw.example/a"><title>عنوان</title><link>https://dw.example/a</link><dc:date>2026-07-28T09:00:00+03:00</dc:date><dc:creator>DW</dc:creator></item></rdf:RDF>`,
			FormatRSS, func(t *testing.T, f *Feed) {
				it := f.Items[0]
				if it.URL != "https://dw.example/a" || !it.Published.Equal(time.Date(2026, 7, 28, 6, 0, 0, 0, time.UTC)) || len(it.Authors) != 1 {
					t.Errorf("%+v", it)
				}
			}},
		{"atom 1.0", `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ar"><title>أطلس</title>
<link rel="alternate" href="https://atom.example/"/><link rel="self" href="https://atom.example/feed"/>
<entry><id>tag:atom.example,2026:1</id><title>مقال</title><link rel="alternate" href="/2026/1"/>
<published>2026-07-28T09:00:00Z</published><updated>2026-07-28T10:00:00Z</updated>
<author><name>سارة</name></author><summary>موجز</summary><content type="html">&lt;p&gt;متن&lt;/p&gt;</content></entry></feed>`,
			FormatAtom, func(t *testing.T, f *Feed) {
				it := f.Items[0]
				if f.SiteURL != "https://atom.example/" || it.GUID != "tag:atom.example,2026:1" || it.URL != "https://news.example/2026/1" {
					t.Errorf("site %q guid %q url %q", f.SiteURL, it.GUID, it.URL)
				}
				if it.Summary != "موجز" || it.Content != "<p>متن</p>" || it.Authors[0] != "سارة" {
					t.Errorf("%+v", it)
				}
				if !it.Updated.Equal(time.Date(2026, 7, 28, 10, 0, 0, 0, time.UTC)) {
					t.Errorf("updated %v", it.Updated)
				}
			}},
		{"atom 0.3", `<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>old</title><entry><title>e</title><link rel="alternate" type="text/html" href="https://old.example/e"/><id>e1</id><issued>2005-01-02T03:04:05Z</issued><modified>2005-01-02T03:04:05Z</modified></entry></feed>`,
			FormatAtom, func(t *testing.T, f *Feed) {
				if f.Items[0].URL != "https://old.example/e" || f.Items[0].Published.Year() != 2005 {
					t.Errorf("%+v", f.Items[0])
				}
			}},
		{"json feed 1.1", `{"version":"https://jsonfeed.org/version/1.1","title":"جيسون","home_page_url":"https://json.example/","language":"ar",
"items":[{"id":"1","url":"/p/1","title":"عنوان","content_html":"<p>نص</p>","summary":"ملخص","image":"/i.png","date_published":"2026-07-28T09:00:00+03:00","authors":[{"name":"ليلى"}]}]}`,
			FormatJSON, func(t *testing.T, f *Feed) {
				it := f.Items[0]
				if f.Title != "جيسون" || it.URL != "https://news.example/p/1" || it.Content != "<p>نص</p>" || it.Image != "https://news.example/i.png" || it.Authors[0] != "ليلى" {
					t.Errorf("%+v %+v", f, it)
				}
			}},
		{"google news sitemap", `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
<url><loc>https://news.example/a</loc><lastmod>2026-07-28T10:00:00+03:00</lastmod>
<news:news><news:publication><news:name>الخبر</news:name><news:language>ar</news:language></news:publication>
<news:publication_date>2026-07-28T09:00:00+03:00</news:publication_date><news:title>عنوان الخبر</news:title></news:news>
<image:image><image:loc>https://news.example/a.jpg</image:loc></image:image></url>
<url><loc>/b</loc></url></urlset>`,
			FormatSitemap, func(t *testing.T, f *Feed) {
				a, b := f.Items[0], f.Items[1]
				if f.IsIndex || f.Language != "ar" || f.Title != "الخبر" {
					t.Errorf("feed %+v", f)
				}
				if a.Title != "عنوان الخبر" || !a.Published.Equal(time.Date(2026, 7, 28, 6, 0, 0, 0, time.UTC)) || a.Image != "https://news.example/a.jpg" || !a.Updated.Equal(time.Date(2026, 7, 28, 7, 0, 0, 0, time.UTC)) {
					t.Errorf("%+v", a)
				}
				if b.URL != "https://news.example/b" {
					t.Errorf("%+v", b)
				}
			}},
		{"sitemap index", `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>https://news.example/s1.xml</loc><lastmod>2026-07-28</lastmod></sitemap><sitemap><loc>https://news.example/s2.xml</loc></sitemap></sitemapindex>`,
			FormatSitemapIndex, func(t *testing.T, f *Feed) {
				if !f.IsIndex || len(f.Items) != 2 || f.Items[1].URL != "https://news.example/s2.xml" || f.Items[0].Updated.IsZero() {
					t.Errorf("%+v", f)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse([]byte(tt.doc), "https://news.example/feed")
			if err != nil {
				t.Fatal(err)
			}
			if f.Format != tt.format {
				t.Errorf("format %q, want %q", f.Format, tt.format)
			}
			if len(f.Items) == 0 {
				t.Fatal("no items")
			}
			tt.check(t, f)
		})
	}
}

func TestMalformed(t *testing.T) {
	tests := []struct {
		name, doc, want string
		unknown         bool
	}{
		{"empty", "", "empty document", false},
		{"truncated", `<rss version="2.0"><channel><title>x</title><item><title>y`, "malformed XML", false},
		{"garbage", "\x00\x01binary", "neither XML nor JSON", true},
		{"bad token", `<rss version="2.0"><channel><title>x</title><item><</item></channel></rss>`, "malformed XML", false},
		{"html page", `<!DOCTYPE html><html><head><title>x</title></head><body><p>hi</body></html>`, "HTML page", true},
		{"opml", `<opml version="2.0"><body/></opml>`, "OPML", true},
		{"other root", `<svg/>`, "root element <svg>", true},
		{"bad json", `{"version": "https://jsonfeed.org/version/1", "items": [`, "malformed", false},
		{"json not a feed", `{"a": 1}`, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse([]byte(tt.doc), "")
			if err == nil {
				t.Fatalf("no error, got %+v", f)
			}
			if !strings.HasPrefix(err.Error(), "feed: ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to contain %q", err, tt.want)
			}
			if tt.unknown != errors.Is(err, ErrUnknownFormat) {
				t.Errorf("errors.Is(ErrUnknownFormat) = %v, want %v (%v)", !tt.unknown, tt.unknown, err)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	utc := func(y int, m time.Month, d, h, mi, s int) time.Time { return time.Date(y, m, d, h, mi, s, 0, time.UTC) }
	tests := []struct {
		in   string
		want time.Time
	}{
		{"Tue, 28 Jul 2026 09:39:20 +0300", utc(2026, 7, 28, 6, 39, 20)},
		{"Tue, 28 Jul 2026 09:39:20", utc(2026, 7, 28, 9, 39, 20)},
		{"28 Jul 2026 09:39 +0300", utc(2026, 7, 28, 6, 39, 0)},
		{"Tues, 28 Jul 2026 09:39:20 GMT", utc(2026, 7, 28, 9, 39, 20)},
		{"Tue, 28 Jul 2026 09:39:20 GMT+3", utc(2026, 7, 28, 6, 39, 20)},
		{"Tue, 28 Jul 2026 09:39:20 +03:00", utc(2026, 7, 28, 6, 39, 20)},
		{"الثلاثاء، 28 يوليو 2026 09:39:20 +0300", utc(2026, 7, 28, 6, 39, 20)},
		{"٢٨ تموز ٢٠٢٦ ٠٩:٣٩", utc(2026, 7, 28, 9, 39, 0)},
		{"28 جويلية 2026", utc(2026, 7, 28, 0, 0, 0)},
		{"28 كانون الثاني 2026 3:04 م", utc(2026, 1, 28, 15, 4, 0)},
		{"2026-07-28T09:39:20+03:00", utc(2026, 7, 28, 6, 39, 20)},
		{"2026-07-28 09:39:20", utc(2026, 7, 28, 9, 39, 20)},
		{"2026-07-28", utc(2026, 7, 28, 0, 0, 0)},
		{"28/07/2026 09:39", utc(2026, 7, 28, 9, 39, 0)},
		{"Tue Jul 28 09:39:20 +0300 2026", utc(2026, 7, 28, 6, 39, 20)},
		{"Tue Jul 28 09:39:20 UTC 2026", utc(2026, 7, 28, 9, 39, 20)},
		{"28 Jul 2026 09:39:20 EST", utc(2026, 7, 28, 14, 39, 20)},
	}
	for _, tt := range tests {
		got, ok := ParseDate(tt.in)
		if !ok || !got.Equal(tt.want) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", tt.in, got.UTC(), ok, tt.want)
		}
	}
	// Relative dates, and dates without a year, have no anchor in a feed.
	for _, bad := range []string{"", "yesterday", "32 Jul 2026", "قبل ساعتين", "منذ 3 ساعات", "أمس", "الجمعة الماضية",
		"28 Jul", "09:39", "اليوم", "Jul 2026", "1850-01-01"} {
		if got, ok := ParseDate(bad); ok {
			t.Errorf("ParseDate(%q) = %v, want failure", bad, got)
		}
	}
}

func TestParseLegacyEncodingDirectly(t *testing.T) {
	// Bytes that did not come through fetch (a file, an import) still
	// carry their own encoding: windows-1256 for "الأخبار".
	doc := []byte(`<?xml version="1.0" encoding="windows-1256"?><rss version="2.0"><channel><title>` + "\xc7\xe1\xc3\xce\xc8\xc7\xd1" + `</title><item><title>x</title><link>https://a.example/</link></item></channel></rss>`)
	f, err := Parse(doc, "")
	if err != nil {
		t.Fatal(err)
	}
	if f.Title != "الأخبار" {
		t.Errorf("title %q", f.Title)
	}
}

func TestParseGzippedSitemap(t *testing.T) {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://news.example/a</loc></url></urlset>`))
	zw.Close()
	f, err := Parse(b.Bytes(), "https://news.example/sitemap.xml.gz")
	if err != nil || len(f.Items) != 1 || f.Format != FormatSitemap {
		t.Fatalf("%+v %v", f, err)
	}
	if _, err := Parse([]byte{0x1f, 0x8b, 0, 0}, ""); err == nil || !strings.Contains(err.Error(), "gzip") {
		t.Errorf("broken gzip: %v", err)
	}
}
