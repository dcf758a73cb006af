package fetch

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"
)

func TestRobots(t *testing.T) {
	const txt = `# comment
User-agent: Googlebot
Disallow: /

User-agent: *
Disallow: /search
Crawl-delay: 2

User-agent: Khabar/0.1
User-agent: otherbot
Disallow: /private/
Allow: /private/public
Disallow: /*.pdf$
Disallow: /tmp*/cache
Disallow: /أخبار/قديمة
Disallow:
Crawl-delay: 1.5
Sitemap: https://news.example/sitemap.xml
`
	r := ParseRobots([]byte(txt), "khabar")
	if r.CrawlDelay != 1500*time.Millisecond {
		t.Errorf("crawl delay %v", r.CrawlDelay)
	}
	if len(r.Sitemaps) != 1 {
		t.Errorf("sitemaps %v", r.Sitemaps)
	}
	tests := []struct {
		path  string
		allow bool
	}{
		{"/", true},
		{"/search?q=x", true}, // the * group does not apply: ours exists
		{"/private/x", false},
		{"/private/public", true},
		{"/private/public/more", true},
		{"/docs/a.pdf", false},
		{"/docs/a.pdf?x=1", true},
		{"/tmp1/cache/x", false},
		{"/tmp/cachex", false},
		{"/tmp/other", true},
		{"/" + url.PathEscape("أخبار") + "/" + url.PathEscape("قديمة") + "/1", false},
		{"/robots.txt", true},
	}
	for _, tt := range tests {
		u, err := url.Parse("https://news.example" + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Allowed(u); got != tt.allow {
			t.Errorf("%s: allowed=%v, want %v", tt.path, got, tt.allow)
		}
	}

	star := ParseRobots([]byte(txt), "somebot")
	u, _ := url.Parse("https://news.example/search")
	if star.Allowed(u) || star.CrawlDelay != 2*time.Second {
		t.Errorf("* group not applied: %+v", star)
	}
	none := ParseRobots([]byte("garbage\n\x00\xff"), "khabar")
	if !none.Allowed(u) {
		t.Error("garbage robots.txt should allow all")
	}
}

func TestRobotsMatchLinear(t *testing.T) {
	// A pathological pattern must not take exponential time.
	pattern := "/" + repeat("*a", 50) + "b"
	path := "/" + repeat("a", 5000)
	start := time.Now()
	if robotsMatch(pattern, path) {
		t.Error("matched")
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v", d)
	}
}

func repeat(s string, n int) string {
	out := ""
	for range n {
		out += s
	}
	return out
}

func TestCrawlDelayRaisesPacing(t *testing.T) {
	var mu sync.Mutex
	var starts, ends []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			fmt.Fprint(w, "User-agent: *\nCrawl-delay: 0.15\n")
			return
		}
		mu.Lock()
		starts = append(starts, time.Now())
		mu.Unlock()
		fmt.Fprint(w, "ok")
		mu.Lock()
		ends = append(ends, time.Now())
		mu.Unlock()
	}))
	defer srv.Close()
	cfg := testConfig()
	cfg.RespectRobots = true
	cfg.MaxCrawlDelay = time.Second
	c := New(cfg)
	for i := range 3 {
		if _, err := c.Get(context.Background(), fmt.Sprintf("%s/%d", srv.URL, i), Conditional{}); err != nil {
			t.Fatal(err)
		}
	}
	// The first page follows robots.txt at once; the pages after it wait
	// for the Crawl-delay learnt from it.
	if len(starts) != 3 {
		t.Fatalf("%d pages fetched", len(starts))
	}
	for i := 1; i < len(starts); i++ {
		if gap := starts[i].Sub(ends[i-1]); gap < 150*time.Millisecond {
			t.Errorf("page %d started %v after page %d ended, want ≥ 150ms", i, gap, i-1)
		}
	}
}
