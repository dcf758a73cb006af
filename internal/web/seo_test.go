package web

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"khabar/internal/model"
)

// checkScripts fails on any script a browser would run: the only script
// elements a page may have are JSON-LD data blocks holding valid JSON.
func checkScripts(t *testing.T, body string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parse page: %v", err)
	}
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode || n.Data != "script" {
			continue
		}
		if attr(n, "type") != "application/ld+json" || attr(n, "src") != "" {
			t.Errorf("page has a script that runs: %s", render(n))
			continue
		}
		if !json.Valid([]byte(text(n))) {
			t.Errorf("JSON-LD is not JSON: %s", text(n))
		}
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func text(n *html.Node) string {
	var b strings.Builder
	for c := range n.Descendants() {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

func render(n *html.Node) string {
	var b strings.Builder
	_ = html.Render(&b, n)
	return b.String()
}

// head is what a page's <head> says to search engines and link previews.
type head struct {
	metaName map[string][]string // name= → contents
	metaProp map[string][]string // property= → contents
	jsonLD   []map[string]any
	headings []int // h1…h6 in document order
}

func parseHead(t *testing.T, body string) head {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parse page: %v", err)
	}
	h := head{metaName: map[string][]string{}, metaProp: map[string][]string{}}
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		switch n.Data {
		case "meta":
			if k := attr(n, "name"); k != "" {
				h.metaName[k] = append(h.metaName[k], attr(n, "content"))
			}
			if k := attr(n, "property"); k != "" {
				h.metaProp[k] = append(h.metaProp[k], attr(n, "content"))
			}
		case "script":
			var v map[string]any
			if err := json.Unmarshal([]byte(text(n)), &v); err != nil {
				t.Errorf("JSON-LD: %v", err)
			}
			h.jsonLD = append(h.jsonLD, v)
		case "h1", "h2", "h3", "h4", "h5", "h6":
			h.headings = append(h.headings, int(n.Data[1]-'0'))
		}
	}
	return h
}

func (h head) one(t *testing.T, m map[string][]string, key string) string {
	t.Helper()
	if len(m[key]) != 1 {
		t.Errorf("%s: %d values %q, want one", key, len(m[key]), m[key])
		return ""
	}
	return m[key][0]
}

// TestPagesDescribeThemselves: every page a reader can land on from a
// search engine has one meta description and Open Graph tags, one h1, and
// headings that never skip a level going down (what Lighthouse's SEO and
// accessibility audits check).
func TestPagesDescribeThemselves(t *testing.T) {
	f := newFixture(t)
	s := f.server(t, nil)
	pages := []string{"/", "/articles/" + itoa(f.ref.ID), "/stories/" + itoa(f.ref.StoryID),
		"/search", "/search?q=" + "التحالف", "/tags/التحالف%20الدولي", "/entities/العراق",
		"/sources", "/sources/" + itoa(f.okSrc.ID)}
	for _, p := range pages {
		t.Run(p, func(t *testing.T) {
			w := get(t, s, p)
			body := checkPage(t, w, http.StatusOK)
			h := parseHead(t, body)
			if d := h.one(t, h.metaName, "description"); strings.TrimSpace(d) == "" || len([]rune(d)) > describeLen {
				t.Errorf("description %q: want 1 to %d characters", d, describeLen)
			}
			for _, k := range []string{"og:title", "og:type", "og:site_name", "og:description", "og:url"} {
				if v := h.one(t, h.metaProp, k); v == "" {
					t.Errorf("%s is empty", k)
				}
			}
			if u := h.one(t, h.metaProp, "og:url"); !strings.HasPrefix(u, "http://example.com/") {
				t.Errorf("og:url %q is not the page's absolute URL", u)
			}
			if len(h.metaName["robots"]) != 0 {
				t.Errorf("a page to index says robots %q", h.metaName["robots"])
			}
			if len(h.headings) == 0 || h.headings[0] != 1 || strings.Count(fmtInts(h.headings), "1") != 1 {
				t.Errorf("headings %v: want one h1, first", h.headings)
			}
			for i := 1; i < len(h.headings); i++ {
				if h.headings[i] > h.headings[i-1]+1 {
					t.Errorf("headings %v: h%d follows h%d", h.headings, h.headings[i], h.headings[i-1])
				}
			}
		})
	}
}

func fmtInts(xs []int) string {
	var b strings.Builder
	for _, x := range xs {
		b.WriteByte(byte('0' + x))
	}
	return b.String()
}

func TestArticleStructuredData(t *testing.T) {
	f := newFixture(t)
	s := f.server(t, nil)
	body := checkPage(t, get(t, s, "/articles/"+itoa(f.ref.ID)), http.StatusOK)
	h := parseHead(t, body)
	if h.one(t, h.metaProp, "og:type") != "article" {
		t.Errorf("og:type %q", h.metaProp["og:type"])
	}
	if got := h.one(t, h.metaProp, "og:title"); got != f.ref.Title {
		t.Errorf("og:title %q, want the headline", got)
	}
	if got := h.one(t, h.metaProp, "article:published_time"); got != "2024-03-02T09:30:00Z" {
		t.Errorf("article:published_time %q", got)
	}
	if !strings.HasPrefix(h.one(t, h.metaName, "description"), "المستقلة/- قال المبعوث") {
		t.Errorf("description %q is not the article's opening", h.metaName["description"])
	}
	if len(h.jsonLD) != 1 {
		t.Fatalf("%d JSON-LD blocks, want 1", len(h.jsonLD))
	}
	ld := h.jsonLD[0]
	want := map[string]any{
		"@context": "https://schema.org", "@type": "NewsArticle", "headline": f.ref.Title,
		"datePublished": "2024-03-02T09:30:00Z", "dateModified": "2024-03-02T14:05:00Z",
		"inLanguage": "ar", "url": "http://example.com/articles/" + itoa(f.ref.ID), "isBasedOn": f.ref.URL,
	}
	for k, v := range want {
		if ld[k] != v {
			t.Errorf("JSON-LD %s = %v, want %v", k, ld[k], v)
		}
	}
	if pub, _ := ld["publisher"].(map[string]any); pub["name"] != "المستقلة" || pub["@type"] != "Organization" {
		t.Errorf("JSON-LD publisher %v", ld["publisher"])
	}
	authors, _ := ld["author"].([]any)
	if len(authors) != 1 || authors[0].(map[string]any)["name"] != "محرر الشؤون العراقية" {
		t.Errorf("JSON-LD author %v", ld["author"])
	}

	// An article with a picture names it in both.
	pic := f.ref
	pic.ID, pic.URL, pic.StoryID, pic.Image = 0, "https://almustakillah.example/with-picture", 0, "https://cdn.almustakillah.example/photo.jpg"
	save(t, f.st, &pic)
	h = parseHead(t, checkPage(t, get(t, s, "/articles/"+itoa(pic.ID)), http.StatusOK))
	if got := h.one(t, h.metaProp, "og:image"); got != pic.Image {
		t.Errorf("og:image %q, want %q", got, pic.Image)
	}
	if imgs, _ := h.jsonLD[0]["image"].([]any); len(imgs) != 1 || imgs[0] != pic.Image {
		t.Errorf("JSON-LD image %v, want [%s]", h.jsonLD[0]["image"], pic.Image)
	}
}

// TestHostileTitleStaysInItsJSON: a title that tries to close the JSON-LD
// element comes back whole from the JSON, and runs nothing.
func TestHostileTitleStaysInItsJSON(t *testing.T) {
	f := newFixture(t)
	s := f.server(t, nil)
	body := checkPage(t, get(t, s, "/articles/"+itoa(f.hostile.ID)), http.StatusOK)
	h := parseHead(t, body)
	if len(h.jsonLD) != 1 || h.jsonLD[0]["headline"] != f.hostile.Title {
		t.Fatalf("JSON-LD %v, want the hostile headline back whole", h.jsonLD)
	}
}

func TestHomeIsAWebSiteWithSearch(t *testing.T) {
	f := newFixture(t)
	s := f.server(t, nil)
	h := parseHead(t, checkPage(t, get(t, s, "/"), http.StatusOK))
	if len(h.jsonLD) != 1 || h.jsonLD[0]["@type"] != "WebSite" {
		t.Fatalf("JSON-LD %v", h.jsonLD)
	}
	act, _ := h.jsonLD[0]["potentialAction"].(map[string]any)
	if act["target"] != "http://example.com/search?q={search_term_string}" {
		t.Errorf("search action %v", act)
	}
}

func TestErrorPagesAreNotIndexed(t *testing.T) {
	f := newFixture(t)
	s := f.server(t, nil)
	h := parseHead(t, checkPage(t, get(t, s, "/articles/999999"), http.StatusNotFound))
	if got := h.metaName["robots"]; len(got) != 1 || got[0] != "noindex" {
		t.Errorf("robots %q on a 404, want noindex", got)
	}
}

func TestRobotsTxt(t *testing.T) {
	f := newFixture(t)
	s := f.server(t, func(c *Config) { c.BaseURL = "https://khabar.example" })
	w := get(t, s, "/robots.txt")
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") {
		t.Fatalf("status %d, type %q", w.Code, w.Header().Get("Content-Type"))
	}
	groups := map[string][]string{}
	for _, line := range strings.Split(w.Body.String(), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if line == "" {
			continue
		}
		if !ok {
			t.Errorf("robots.txt line %q is not a field", line)
		}
		groups[strings.ToLower(k)] = append(groups[strings.ToLower(k)], strings.TrimSpace(v))
	}
	if got := groups["sitemap"]; len(got) != 1 || got[0] != "https://khabar.example/sitemap.xml" {
		t.Errorf("Sitemap %q", got)
	}
	if got := groups["user-agent"]; len(got) != 1 || got[0] != "*" {
		t.Errorf("User-agent %q", got)
	}
	// What readers see stays crawlable; forms and programs' interfaces do not.
	for _, p := range []string{"/", "/articles/1", "/stories/1", "/search?q=x", "/tags/x", "/sources", "/feeds/latest.xml"} {
		if blocked(groups["disallow"], p) {
			t.Errorf("robots.txt blocks %s", p)
		}
	}
	for _, p := range []string{"/login", "/api/v1/articles", "/settings?lang=en", "/alerts"} {
		if !blocked(groups["disallow"], p) {
			t.Errorf("robots.txt lets crawlers into %s", p)
		}
	}
}

func blocked(disallow []string, path string) bool {
	for _, d := range disallow {
		if d != "" && strings.HasPrefix(path, d) {
			return true
		}
	}
	return false
}

type testURLSet struct {
	URLs []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
		News    *struct {
			Name  string `xml:"publication>name"`
			Lang  string `xml:"publication>language"`
			Date  string `xml:"publication_date"`
			Title string `xml:"title"`
		} `xml:"http://www.google.com/schemas/sitemap-news/0.9 news"`
	} `xml:"url"`
}

// TestSitemaps: the index lists the site's pages, the news sitemap and
// every article exactly once over the month files; the news sitemap holds
// the last two days' articles only.
func TestSitemaps(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// Two fresh articles for the news sitemap, one three days old.
	for i, age := range []time.Duration{time.Hour, 30 * time.Hour, 72 * time.Hour} {
		a := model.Article{URL: "https://fresh.example/" + itoa(int64(i)), SourceName: "حديث", Title: "خبر حديث " + itoa(int64(i)),
			Text: "نص الخبر.", Published: testNow.Add(-age), Language: "ar"}
		save(t, f.st, &a)
	}
	s := f.server(t, nil)
	w := get(t, s, "/sitemap.xml")
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/xml") {
		t.Fatalf("sitemap.xml: status %d, type %q", w.Code, w.Header().Get("Content-Type"))
	}
	var idx struct {
		XMLName xml.Name
		Locs    []string `xml:"sitemap>loc"`
	}
	if err := xml.Unmarshal(w.Body.Bytes(), &idx); err != nil {
		t.Fatal(err)
	}
	if idx.XMLName.Local != "sitemapindex" || idx.XMLName.Space != sitemapNS {
		t.Fatalf("root %v", idx.XMLName)
	}
	seen := map[string]int{}
	var news *testURLSet
	for _, loc := range idx.Locs {
		path, ok := strings.CutPrefix(loc, "http://example.com")
		if !ok {
			t.Fatalf("sitemap %q is not on the site", loc)
		}
		w := get(t, s, path)
		if w.Code != 200 {
			t.Fatalf("%s: status %d", path, w.Code)
		}
		var set testURLSet
		if err := xml.Unmarshal(w.Body.Bytes(), &set); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if path == "/sitemaps/news.xml" {
			news = &set
			continue
		}
		for _, u := range set.URLs {
			seen[strings.TrimPrefix(u.Loc, "http://example.com")]++
		}
	}
	n, err := f.st.CountArticles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	articles := 0
	for p, c := range seen {
		if c != 1 {
			t.Errorf("%s listed %d times", p, c)
		}
		if strings.HasPrefix(p, "/articles/") {
			articles++
		}
	}
	if articles != n {
		t.Errorf("sitemaps list %d articles, the store has %d", articles, n)
	}
	for _, p := range []string{"/", "/sources", "/stories/" + itoa(f.ref.StoryID)} {
		if seen[p] != 1 {
			t.Errorf("sitemaps lack %s", p)
		}
	}
	if news == nil {
		t.Fatal("the index does not list the news sitemap")
	}
	var titles []string
	for _, u := range news.URLs {
		if u.News == nil || u.News.Lang != "ar" || u.News.Name == "" || u.News.Date == "" {
			t.Errorf("news entry %+v lacks its publication, language or date", u)
			continue
		}
		titles = append(titles, u.News.Title)
	}
	// The fixture's reference article and its copy are a day old too.
	want := []string{"خبر حديث 0", f.copyOf.Title, f.ref.Title, "خبر حديث 1"}
	if strings.Join(titles, "|") != strings.Join(want, "|") {
		t.Errorf("news sitemap lists %q, want the articles of the last two days, newest first: %q", titles, want)
	}
}

func TestSitemapFileNames(t *testing.T) {
	f := newFixture(t)
	s := f.server(t, nil)
	for _, p := range []string{"/sitemaps/articles-2024-03-1.xml", "/sitemaps/pages.xml", "/sitemaps/news.xml"} {
		if w := get(t, s, p); w.Code != 200 {
			t.Errorf("%s: status %d", p, w.Code)
		}
	}
	for _, p := range []string{"/sitemaps/articles-2024-3-1.xml", "/sitemaps/articles-2024-03-01.xml", "/sitemaps/articles-2024-03-0.xml",
		"/sitemaps/articles-2024-03-2.xml", "/sitemaps/articles-1999-01-1.xml", "/sitemaps/articles-2024-03.xml",
		"/sitemaps/articles-.xml", "/sitemaps/pages", "/sitemaps/other.xml", "/sitemaps/articles-2024-13-1.xml"} {
		if w := get(t, s, p); w.Code != 404 {
			t.Errorf("%s: status %d, want 404", p, w.Code)
		}
	}
}
