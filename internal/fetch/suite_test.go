package fetch_test

// The hostile-source suite end to end: what a crawl does with each bad
// source, through fetch.Get and then feed.Parse or sanitize.HTML, all on one
// httptest host as in a real crawl of them.

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"khabar/internal/feed"

	"khabar/internal/fetch"
	"khabar/internal/sanitize"
)

func TestHostileSuiteEndToEnd(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
	})
	mux.HandleFunc("/big.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		fmt.Fprint(zw, `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>كبير</title>`)
		for i := range 10000 {
			fmt.Fprintf(zw, `<item><title>خبر %d</title><link>/n/%d</link><pubDate>Tue, 28 Jul 2026 09:39:20 +0300</pubDate></item>`, i, i)
		}
		fmt.Fprint(zw, `</channel></rss>`)
		zw.Close()
	})
	mux.HandleFunc("/malformed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<rss version="2.0"><channel><title>مكسور</title><item><title>عنوان</item>`)
	})
	mux.HandleFunc("/inject.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<rss version="2.0"><channel><title>x</title><item><title>حقن</title><link>/a</link>`+
			`<description><![CDATA[<p onclick="steal()">نص</p><script>steal()</script><iframe src="https://evil.example/"></iframe><a href="javascript:steal()">رابط</a><img src="x" onerror="steal()">]]></description></item></channel></rss>`)
	})
	const title = "أخبار القاهرة، اليوم؟"
	rss := func(enc string) string {
		return `<?xml version="1.0" encoding="` + enc + `"?><rss version="2.0"><channel><title>` + title + `</title><item><title>` + title + `</title><link>/a</link></item></channel></rss>`
	}
	for path, e := range map[string]encoding.Encoding{
		"/w1256.xml":   charmap.Windows1256,
		"/iso6.xml":    charmap.ISO8859_6,
		"/utf16.xml":   unicode.UTF16(unicode.LittleEndian, unicode.UseBOM),
		"/utf16be.xml": unicode.UTF16(unicode.BigEndian, unicode.UseBOM),
	} {
		label := map[string]string{"/w1256.xml": "windows-1256", "/iso6.xml": "ISO-8859-6", "/utf16.xml": "UTF-16", "/utf16be.xml": "UTF-16"}[path]
		body, err := e.NewEncoder().String(rss(label))
		if err != nil {
			t.Fatal(err)
		}
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/xml") // no charset
			io.WriteString(w, body)
		})
	}
	mux.HandleFunc("/private/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		t.Error("robots.txt-disallowed feed was fetched")
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	c := fetch.New(fetch.Config{AllowPrivate: true, RespectRobots: true, PerHostDelay: time.Millisecond, Timeout: 5 * time.Second, MaxBodyBytes: 8 << 20})
	get := func(p string) *fetch.Response {
		t.Helper()
		resp, err := c.Get(context.Background(), srv.URL+p, fetch.Conditional{})
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		return resp
	}

	f, err := feed.Parse(get("/big.xml").Body, srv.URL+"/big.xml")
	if err != nil || len(f.Items) != 10000 || f.Items[9999].URL != srv.URL+"/n/9999" {
		t.Errorf("10,000 items: %v", err)
	}

	for _, p := range []string{"/w1256.xml", "/iso6.xml", "/utf16.xml", "/utf16be.xml"} {
		f, err := feed.Parse(get(p).Body, srv.URL+p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if f.Title != title || len(f.Items) != 1 || f.Items[0].Title != title {
			t.Errorf("%s: title %q", p, f.Title)
		}
	}

	_, err = feed.Parse(get("/malformed.xml").Body, srv.URL+"/malformed.xml")
	if err == nil || !strings.Contains(err.Error(), "malformed XML") {
		t.Errorf("malformed XML: got %v", err)
	}

	f, err = feed.Parse(get("/inject.xml").Body, srv.URL+"/inject.xml")
	if err != nil {
		t.Fatal(err)
	}
	clean := sanitize.HTML(f.Items[0].Summary, f.Items[0].URL)
	for _, bad := range []string{"<script", "onclick", "onerror", "<iframe", "javascript:", "steal"} {
		if strings.Contains(clean, bad) {
			t.Errorf("script injection: %q survives in %q", bad, clean)
		}
	}
	if !strings.Contains(clean, "نص") || !strings.Contains(clean, srv.URL+"/x") {
		t.Errorf("sanitized summary lost its text or image: %q", clean)
	}

	_, err = c.Get(context.Background(), srv.URL+"/private/feed.xml", fetch.Conditional{})
	if !errors.Is(err, fetch.ErrDisallowed) {
		t.Errorf("robots.txt: got %v", err)
	}
}
