package fetch

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// FuzzParseRobots parses any robots.txt and asks it about any path.
func FuzzParseRobots(f *testing.F) {
	for _, s := range [][2]string{
		{"User-agent: *\nDisallow: /private\nAllow: /private/ok$\nCrawl-delay: 2.5\nSitemap: https://x.example/s.xml", "/private/x"},
		{"User-agent: khabar/1.0\nUser-agent: other\nDisallow: /*.pdf$\n\nUser-agent: *\nDisallow: /", "/a/b.pdf?x=1"},
		{"user-agent: KHABAR\ndisallow: /أخبار\n# comment\nallow: /%D8%A3", "/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/1"},
		{"Disallow: /\nUser-agent: *\nDisallow:\nCrawl-delay: -1", "/"},
		{"User-agent: *\nDisallow: /a*b*c*d*e*f*g$", "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, body, path string) {
		r := ParseRobots([]byte(body), "khabar")
		if r.CrawlDelay < 0 || r.CrawlDelay > 1e6*time.Second {
			t.Fatalf("crawl delay %v", r.CrawlDelay)
		}
		for _, s := range r.Sitemaps {
			if s == "" || s != strings.TrimSpace(s) {
				t.Fatalf("sitemap %q", s)
			}
		}
		u, err := url.Parse("https://news.example/" + strings.TrimPrefix(path, "/"))
		if err != nil {
			return
		}
		allowed := r.Allowed(u)
		if again := ParseRobots([]byte(body), "khabar").Allowed(u); again != allowed {
			t.Fatalf("not deterministic for %q", path)
		}
		// robots.txt itself is always allowed.
		if !r.Allowed(&url.URL{Scheme: "https", Host: "news.example", Path: "/robots.txt"}) {
			t.Fatal("robots.txt disallowed")
		}
		// Without a Disallow line nothing is disallowed.
		if !strings.Contains(strings.ToLower(body), "disallow") && !allowed {
			t.Fatalf("%q disallowed by a file without Disallow", path)
		}
		// Without any rule for khabar or *, everything is allowed.
		if len(r.rules) == 0 && !allowed {
			t.Fatalf("%q disallowed without rules", path)
		}
		// A group of our own that allows everything wins over a "*" group
		// that disallows it; ours is picked when it names us.
		own := ParseRobots([]byte("User-agent: *\nDisallow: /\n\n"+"User-agent: khabar\nAllow: /\n"), "khabar")
		if !own.Allowed(u) && u.Path != "" {
			t.Fatalf("%q: our own allowing group was not picked", path)
		}
	})
}
