package ingest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"khabar/internal/analysis"
	"khabar/internal/entities"
	"khabar/internal/fetch"
	"khabar/internal/model"
	"khabar/internal/store/sqlite/sqlitetest"
)

// failingFeedHost serves feeds of 10,000 items whose pages fail in
// different ways, and counts the page requests of each.
type failingFeedHost struct {
	srv   *httptest.Server
	mu    sync.Mutex
	pages map[string]int // feed name → page requests
}

const failingFeedItems = 10000

// articleHTML is a page extraction keeps: a title and paragraphs.
func articleHTML(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<html lang=\"ar\"><head><title>خبر %d</title></head><body><article><h1>خبر رقم %d</h1>", n, n)
	for p := range 4 {
		fmt.Fprintf(&b, "<p>قال المتحدث باسم الوزارة في بيان صدر اليوم إن الفقرة %d من الخبر %d تتناول تطورات الأوضاع الاقتصادية في المنطقة وأثرها على الأسواق.</p>", p, n)
	}
	b.WriteString("</article></body></html>")
	return b.String()
}

func newFailingFeedHost(t *testing.T) *failingFeedHost {
	t.Helper()
	h := &failingFeedHost{pages: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{name}/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("name")
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>%s</title><link>%s</link>`, name, h.srv.URL)
		for i := range failingFeedItems {
			fmt.Fprintf(w, "<item><title>خبر رقم %d</title><link>%s/%s/%d.html</link><description>ملخص الخبر رقم %d في الخلاصة</description></item>\n", i, h.srv.URL, name, i, i)
		}
		fmt.Fprint(w, "</channel></rss>")
	})
	mux.HandleFunc("GET /{name}/{page}", func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("name")
		var n int
		fmt.Sscanf(r.PathValue("page"), "%d.html", &n)
		h.mu.Lock()
		h.pages[name]++
		h.mu.Unlock()
		switch name {
		case "gone": // every page 404
			http.NotFound(w, r)
		case "broken": // every page a server error
			http.Error(w, "down", http.StatusServiceUnavailable)
		case "huge": // every page larger than the body limit
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<html><body><p>", strings.Repeat("كلمة ", 500000), "</p></body></html>") // 4.5 MB
		case "empty": // pages with nothing to read
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "\n \n")
		case "flaky": // every other page fails: never a run long enough to stop
			if n%2 == 0 {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, articleHTML(n))
		}
	})
	h.srv = httptest.NewServer(mux)
	t.Cleanup(h.srv.Close)
	return h
}

func (h *failingFeedHost) requests(name string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.pages[name]
}

// TestCrawlStopsOnFailingPages crawls feeds of 10,000 items whose pages
// all fail (404, 503, too large, nothing to extract): each stops fetching
// pages after a run of failures and says so on the source, and the items
// whose pages failed are kept from the feed's own text. A feed whose
// failures are broken by pages that work is crawled to its item limit.
func TestCrawlStopsOnFailingPages(t *testing.T) {
	ctx := context.Background()
	h := newFailingFeedHost(t)
	st := sqlitetest.Open(t)
	const maxItems = 60
	feeds := []struct {
		name  string
		words []string // in last_error
		trips bool
	}{
		{"gone", []string{"404", "10 failed pages in a row", "rest of this crawl", "50 of 60 items left"}, true},
		{"broken", []string{"503", "10 failed pages in a row"}, true},
		{"huge", []string{"too large", "10 failed pages in a row"}, true},
		{"empty", []string{"empty page", "10 failed pages in a row"}, true},
		{"flaky", []string{"30 of 60 items failed", "404"}, false},
	}
	for _, f := range feeds {
		if err := st.AddSource(ctx, &model.Source{URL: h.srv.URL + "/" + f.name + "/feed.xml"}); err != nil {
			t.Fatal(err)
		}
	}
	fc := fetch.New(fetch.Config{AllowPrivate: true, PerHostDelay: 0, MaxBodyBytes: 4 << 20, Timeout: 10 * time.Second})
	rec := entities.New(entities.Options{})
	an := analysis.New(analysis.Options{Names: rec.Names()})
	p := NewPipeline(st, an, rec, PipelineConfig{})
	c := NewCrawler(st, fc, p, CrawlConfig{Workers: 2, MaxItems: maxItems})
	rep, err := c.RunOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Sources != len(feeds) {
		t.Fatalf("crawled %d sources, want %d", rep.Sources, len(feeds))
	}
	srcs, err := st.ListSources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]model.Source{}
	for _, s := range srcs {
		byName[strings.Split(strings.TrimPrefix(s.URL, h.srv.URL+"/"), "/")[0]] = s
	}
	for _, f := range feeds {
		s := byName[f.name]
		n := h.requests(f.name)
		t.Logf("%s: %d page requests, %d articles, last_error %q", f.name, n, s.Articles, s.LastError)
		for _, w := range f.words {
			if !strings.Contains(s.LastError, w) {
				t.Errorf("%s: last_error %q does not say %q", f.name, s.LastError, w)
			}
		}
		if !f.trips {
			if n != maxItems {
				t.Errorf("%s: %d pages fetched, want all %d", f.name, n, maxItems)
			}
			if s.Articles != maxItems {
				t.Errorf("%s: %d articles stored, want %d", f.name, s.Articles, maxItems)
			}
			continue
		}
		if n != maxPageFailures {
			t.Errorf("%s: %d pages fetched, want the crawl to stop after %d failures in a row", f.name, n, maxPageFailures)
		}
		// the failed pages' items are kept from the feed's text
		if s.Articles != maxPageFailures {
			t.Errorf("%s: %d articles stored, want %d from the feed's own text", f.name, s.Articles, maxPageFailures)
		}
		if s.ErrorCount != 1 || !s.NextFetch.After(time.Now()) {
			t.Errorf("%s: error count %d, next fetch %v: want the source to back off", f.name, s.ErrorCount, s.NextFetch)
		}
	}
}

// TestPageBreaker checks the runs that stop a source's pages.
func TestPageBreaker(t *testing.T) {
	page := &PageError{fmt.Errorf("fetch: status 404")}
	timeout := &PageError{fmt.Errorf("fetch: %w", context.DeadlineExceeded)}
	robots := &PageError{fmt.Errorf("x: %w", fetch.ErrDisallowed)}
	other := fmt.Errorf("item has no link")
	var b pageBreaker
	for range 3 * maxPageFailures {
		// robots.txt refusals and items refused before a request neither
		// count nor end a run
		if b.record(robots) || b.record(other) {
			t.Fatal("tripped on requests never made")
		}
	}
	for i := range maxPageFailures - 1 {
		if b.record(page) {
			t.Fatalf("tripped after %d failures", i+1)
		}
		b.record(robots)
	}
	if !b.record(page) || b.why() != fmt.Sprintf("%d failed pages in a row", maxPageFailures) {
		t.Fatalf("did not trip after %d failures in a row (%s)", maxPageFailures, b.why())
	}
	b = pageBreaker{}
	b.record(page)
	b.record(nil) // a page read ends the run
	for i := range maxPageFailures - 1 {
		if b.record(page) {
			t.Fatalf("tripped after %d failures since a success", i+1)
		}
	}
	b = pageBreaker{}
	for i := range maxPageTimeouts - 1 {
		if b.record(timeout) {
			t.Fatalf("tripped after %d timeouts", i+1)
		}
	}
	if !b.record(timeout) || !strings.Contains(b.why(), "page timeouts in a row") {
		t.Fatalf("did not trip after %d timeouts in a row", maxPageTimeouts)
	}
}

// TestCrawlRefusesBadItemLinks: a feed item's link passes the one URL rule
// users' URLs pass (weburl.Check): not http(s), no host, or carrying
// credentials, the item is refused and the source says why; the good item
// beside them is stored.
func TestCrawlRefusesBadItemLinks(t *testing.T) {
	ctx := context.Background()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/feed.xml" {
			w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
			fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>ف</title>`)
			for i, link := range []string{"javascript:alert(1)", "http://user:secret@" + strings.TrimPrefix(srv.URL, "http://") + "/1.html",
				"https:///2.html", srv.URL + "/3.html"} {
				fmt.Fprintf(w, "<item><title>خبر رقم %d</title><link>%s</link><description>ملخص الخبر رقم %d</description></item>", i, link, i)
			}
			fmt.Fprint(w, "</channel></rss>")
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, articleHTML(3))
	}))
	t.Cleanup(srv.Close)
	st := sqlitetest.Open(t)
	if err := st.AddSource(ctx, &model.Source{URL: srv.URL + "/feed.xml"}); err != nil {
		t.Fatal(err)
	}
	fc := fetch.New(fetch.Config{AllowPrivate: true, PerHostDelay: 0, Timeout: 10 * time.Second})
	rec := entities.New(entities.Options{})
	an := analysis.New(analysis.Options{Names: rec.Names()})
	c := NewCrawler(st, fc, NewPipeline(st, an, rec, PipelineConfig{}), CrawlConfig{Workers: 1})
	if _, err := c.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	srcs, err := st.ListSources(ctx)
	if err != nil || len(srcs) != 1 {
		t.Fatalf("sources %v, %v", srcs, err)
	}
	t.Logf("last_error %q", srcs[0].LastError)
	if srcs[0].Articles != 1 {
		t.Errorf("%d articles stored, want only the item with a good link", srcs[0].Articles)
	}
	for _, w := range []string{"3 of 4 items failed", "item link"} {
		if !strings.Contains(srcs[0].LastError, w) {
			t.Errorf("last_error %q does not say %q", srcs[0].LastError, w)
		}
	}
	if strings.Contains(srcs[0].LastError, "secret") {
		t.Errorf("last_error %q shows the link's password", srcs[0].LastError)
	}
	if ok, err := st.HasArticle(ctx, srv.URL+"/3.html"); err != nil || !ok {
		t.Errorf("the good item is not stored: %v, %v", ok, err)
	}
}
