package web

// What search engines and link previews read: each page's description,
// Open Graph and JSON-LD (set on Base, written by layout.html), robots.txt
// and the sitemaps: an index at /sitemap.xml, the site's own pages, every
// article by month, and a Google News sitemap of the last two days.

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"khabar/internal/model"
	"khabar/internal/plaintext"
	"khabar/internal/store"
)

// describeLen bounds a meta description: search engines show about 160
// characters.
const describeLen = 160

// sitemapPageSize is how many articles one article sitemap lists. The
// protocol allows 50,000; a smaller file keeps each request cheap.
const sitemapPageSize = 1000

// newsSitemapWindow and newsSitemapMax are Google News' rules: articles of
// the last two days, at most 1,000 of them.
const (
	newsSitemapWindow = 48 * time.Hour
	newsSitemapMax    = 1000
)

// sitemapIndexTTL is how long the list of article months is reused: it
// counts articles month by month, and crawlers read it often.
const sitemapIndexTTL = 10 * time.Minute

// describe is s cut to a meta description.
func describe(s string) string {
	return plaintext.Excerpt(s, describeLen)
}

// jsonLD encodes v for a <script type="application/ld+json"> element.
// encoding/json escapes <, > and &, so the text cannot end the element.
func jsonLD(v any) template.JS {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return template.JS(b)
}

type ldThing struct {
	Type string `json:"@type"`
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

type ldNewsArticle struct {
	Context          string    `json:"@context"`
	Type             string    `json:"@type"`
	Headline         string    `json:"headline"`
	Description      string    `json:"description,omitempty"`
	URL              string    `json:"url"`
	MainEntityOfPage string    `json:"mainEntityOfPage"`
	IsBasedOn        string    `json:"isBasedOn,omitempty"`
	DatePublished    string    `json:"datePublished,omitempty"`
	DateModified     string    `json:"dateModified,omitempty"`
	Author           []ldThing `json:"author,omitempty"`
	Publisher        *ldThing  `json:"publisher,omitempty"`
	Image            []string  `json:"image,omitempty"`
	InLanguage       string    `json:"inLanguage"`
	Keywords         []string  `json:"keywords,omitempty"`
}

// articleLD is the article as schema.org's NewsArticle: the outlet that
// published it is its publisher, and the original page what it is based on.
func articleLD(a *model.Article, pageURL, outlet, description string) template.JS {
	ld := ldNewsArticle{
		Context: "https://schema.org", Type: "NewsArticle",
		Headline: cutRunes(a.Title, 110), Description: description,
		URL: pageURL, MainEntityOfPage: pageURL, IsBasedOn: a.URL,
		InLanguage: a.Language,
	}
	if ld.InLanguage == "" {
		ld.InLanguage = "ar"
	}
	if !a.Published.IsZero() {
		ld.DatePublished = a.Published.Format(time.RFC3339)
	}
	if !a.Modified.IsZero() {
		ld.DateModified = a.Modified.Format(time.RFC3339)
	} else {
		ld.DateModified = ld.DatePublished
	}
	for _, name := range a.Authors {
		ld.Author = append(ld.Author, ldThing{Type: "Person", Name: name})
	}
	if outlet != "" {
		ld.Publisher = &ldThing{Type: "Organization", Name: outlet}
	}
	if a.Image != "" {
		ld.Image = []string{a.Image}
	}
	ld.Keywords = a.Keywords[:min(len(a.Keywords), 10)]
	return jsonLD(ld)
}

// siteLD is the home page's WebSite with its search, which lets a search
// engine offer a search box for the site.
func siteLD(name, home, searchURL string) template.JS {
	return jsonLD(map[string]any{
		"@context": "https://schema.org", "@type": "WebSite",
		"name": name, "url": home,
		"potentialAction": map[string]any{
			"@type":       "SearchAction",
			"target":      searchURL + "?q={search_term_string}",
			"query-input": "required name=search_term_string",
		},
	})
}

func cutRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// robots answers /robots.txt: everything a reader sees may be crawled;
// forms, settings and the programs' interfaces may not.
func (s *Server) robots(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	var b strings.Builder
	b.WriteString("User-agent: *\n")
	for _, p := range []string{"/login", "/logout", "/settings", "/alerts", "/api/", "/sources/import",
		"/accounts/", "/reader/", "/fever/"} {
		b.WriteString("Disallow: " + p + "\n")
	}
	b.WriteString("Allow: /\n\nSitemap: " + s.absURL(r, "/sitemap.xml") + "\n")
	_, _ = w.Write([]byte(b.String()))
}

// The sitemap protocol's documents (sitemaps.org, 0.9) and Google News'
// extension.
const (
	sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"
	newsNS    = "http://www.google.com/schemas/sitemap-news/0.9"
)

type sitemapIndex struct {
	XMLName  xml.Name     `xml:"sitemapindex"`
	NS       string       `xml:"xmlns,attr"`
	Sitemaps []sitemapRef `xml:"sitemap"`
}

type sitemapRef struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type urlSet struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	NewsNS  string       `xml:"xmlns:news,attr,omitempty"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string       `xml:"loc"`
	LastMod string       `xml:"lastmod,omitempty"`
	News    *sitemapNews `xml:"news:news,omitempty"`
}

type sitemapNews struct {
	Publication struct {
		Name     string `xml:"news:name"`
		Language string `xml:"news:language"`
	} `xml:"news:publication"`
	Date  string `xml:"news:publication_date"`
	Title string `xml:"news:title"`
}

func (s *Server) writeXML(w http.ResponseWriter, r *http.Request, v any) {
	body, err := xml.Marshal(v)
	if err != nil {
		s.fail(w, r, fmt.Errorf("web: sitemap: %w", err))
		return
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=600")
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(body)
}

// articleMonth is a month that has articles, for the sitemap index.
type articleMonth struct {
	start time.Time // the first instant of the month, UTC
	count int
	last  time.Time // the newest article's time in the month
}

// sitemapMonths remembers the months that have articles for a while.
type sitemapMonths struct {
	mu     sync.Mutex
	at     time.Time
	months []articleMonth
}

// articleMonths lists the months that have articles, newest first.
func (s *Server) articleMonths(r *http.Request) ([]articleMonth, error) {
	s.smonths.mu.Lock()
	defer s.smonths.mu.Unlock()
	now := s.now()
	if !s.smonths.at.IsZero() && now.Sub(s.smonths.at) < sitemapIndexTTL {
		return s.smonths.months, nil
	}
	ctx := r.Context()
	newest, total, err := s.cfg.Store.ListArticles(ctx, store.ArticleFilter{Limit: 1})
	if err != nil || total == 0 {
		return nil, err
	}
	oldest, _, err := s.cfg.Store.ListArticles(ctx, store.ArticleFilter{Limit: 1, Offset: total - 1})
	if err != nil {
		return nil, err
	}
	if len(oldest) == 0 {
		oldest = newest
	}
	first, last := monthOf(sortTime(&oldest[0])), monthOf(sortTime(&newest[0]))
	var months []articleMonth
	seen := 0
	for m := last; !m.Before(first) && seen < total; m = m.AddDate(0, -1, 0) {
		list, n, err := s.cfg.Store.ListArticles(ctx, store.ArticleFilter{Since: m, Until: m.AddDate(0, 1, 0), Limit: 1})
		if err != nil {
			return nil, err
		}
		if n > 0 {
			months = append(months, articleMonth{start: m, count: n, last: sortTime(&list[0])})
			seen += n
		}
	}
	s.smonths.at, s.smonths.months = now, months
	return months, nil
}

func monthOf(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// sitemap answers /sitemap.xml, the index of the other sitemaps.
func (s *Server) sitemap(w http.ResponseWriter, r *http.Request) {
	months, err := s.articleMonths(r)
	if err != nil {
		s.fail(w, r, fmt.Errorf("web: sitemap index: %w", err))
		return
	}
	idx := sitemapIndex{NS: sitemapNS, Sitemaps: []sitemapRef{
		{Loc: s.absURL(r, "/sitemaps/pages.xml")},
		{Loc: s.absURL(r, "/sitemaps/news.xml")},
	}}
	for _, m := range months {
		for p := 1; (p-1)*sitemapPageSize < m.count; p++ {
			idx.Sitemaps = append(idx.Sitemaps, sitemapRef{
				Loc:     s.absURL(r, fmt.Sprintf("/sitemaps/articles-%s-%d.xml", m.start.Format("2006-01"), p)),
				LastMod: m.last.UTC().Format(time.RFC3339),
			})
		}
	}
	s.writeXML(w, r, idx)
}

// sitemapFile answers /sitemaps/{file}: pages.xml, news.xml and
// articles-YYYY-MM-P.xml.
func (s *Server) sitemapFile(w http.ResponseWriter, r *http.Request) {
	name, ok := strings.CutSuffix(r.PathValue("file"), ".xml")
	switch {
	case !ok:
		s.notFound(w, r)
	case name == "pages":
		s.sitemapPages(w, r)
	case name == "news":
		s.sitemapNews(w, r)
	case strings.HasPrefix(name, "articles-"):
		s.sitemapArticles(w, r, strings.TrimPrefix(name, "articles-"))
	default:
		s.notFound(w, r)
	}
}

func (s *Server) sitemapPages(w http.ResponseWriter, r *http.Request) {
	set := urlSet{NS: sitemapNS}
	for _, p := range []string{"/", "/sources", "/search"} {
		set.URLs = append(set.URLs, sitemapURL{Loc: s.absURL(r, p)})
	}
	stories, _, err := s.cfg.Store.ListStories(r.Context(), store.StoryFilter{Limit: 200, NoTotal: true})
	if err != nil {
		s.fail(w, r, fmt.Errorf("web: sitemap of pages: %w", err))
		return
	}
	for _, st := range stories {
		if st.Articles < 2 {
			continue
		}
		set.URLs = append(set.URLs, sitemapURL{Loc: s.absURL(r, "/stories/"+strconv.FormatInt(st.ID, 10)),
			LastMod: st.LastSeen.UTC().Format(time.RFC3339)})
	}
	s.writeXML(w, r, set)
}

// sitemapArticles lists one page of a month's articles; spec is
// "YYYY-MM-P".
func (s *Server) sitemapArticles(w http.ResponseWriter, r *http.Request, spec string) {
	month, page, ok := parseSitemapPage(spec)
	if !ok {
		s.notFound(w, r)
		return
	}
	list, total, err := s.cfg.Store.ListArticles(r.Context(), store.ArticleFilter{
		Since: month, Until: month.AddDate(0, 1, 0),
		Limit: sitemapPageSize, Offset: (page - 1) * sitemapPageSize,
	})
	if err != nil {
		s.fail(w, r, fmt.Errorf("web: sitemap of %s: %w", spec, err))
		return
	}
	if len(list) == 0 && (page > 1 || total == 0) {
		s.notFound(w, r)
		return
	}
	set := urlSet{NS: sitemapNS}
	for i := range list {
		a := &list[i]
		set.URLs = append(set.URLs, sitemapURL{Loc: s.absURL(r, "/articles/"+strconv.FormatInt(a.ID, 10)),
			LastMod: lastMod(a)})
	}
	s.writeXML(w, r, set)
}

func parseSitemapPage(spec string) (month time.Time, page int, ok bool) {
	ym, p, found := strings.Cut(spec[min(len(spec), len("2006-01")):], "-")
	if !found || ym != "" {
		return time.Time{}, 0, false
	}
	month, err := time.Parse("2006-01", spec[:len("2006-01")])
	if err != nil {
		return time.Time{}, 0, false
	}
	page, err = strconv.Atoi(p)
	if err != nil || page < 1 || page > 1_000_000 || strconv.Itoa(page) != p {
		return time.Time{}, 0, false
	}
	return month, page, true
}

// sitemapNews is Google News' sitemap: the articles of the last two days.
func (s *Server) sitemapNews(w http.ResponseWriter, r *http.Request) {
	now := s.now()
	list, _, err := s.cfg.Store.ListArticles(r.Context(), store.ArticleFilter{
		Since: now.Add(-newsSitemapWindow), Until: now.Add(time.Minute), Limit: newsSitemapMax,
	})
	if err != nil {
		s.fail(w, r, fmt.Errorf("web: news sitemap: %w", err))
		return
	}
	set := urlSet{NS: sitemapNS, NewsNS: newsNS}
	for i := range list {
		a := &list[i]
		n := &sitemapNews{Date: sortTime(a).UTC().Format(time.RFC3339), Title: a.Title}
		n.Publication.Name = stringsAR.SiteName
		n.Publication.Language = a.Language
		if n.Publication.Language == "" {
			n.Publication.Language = "ar"
		}
		set.URLs = append(set.URLs, sitemapURL{Loc: s.absURL(r, "/articles/"+strconv.FormatInt(a.ID, 10)),
			LastMod: lastMod(a), News: n})
	}
	s.writeXML(w, r, set)
}

// sortTime is the time listings order a by: when it was published, or
// when khabar stored it.
func sortTime(a *model.Article) time.Time {
	if !a.Published.IsZero() {
		return a.Published
	}
	return a.Fetched
}

func lastMod(a *model.Article) string {
	t := a.Modified
	if t.IsZero() {
		t = sortTime(a)
	}
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
