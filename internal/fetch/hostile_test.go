package fetch

// The hostile-source suite: httptest servers that misbehave in each way a
// news server can, and what the client must do about it.

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestHostileSlowDrip(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.WriteHeader(200)
		for i := 0; i < 1000; i++ {
			if _, err := w.Write([]byte("<")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}))
	defer srv.Close()
	cfg := testConfig()
	cfg.Timeout = 300 * time.Millisecond
	c := New(cfg)
	start := time.Now()
	_, err := c.Get(context.Background(), srv.URL, Conditional{})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want a deadline error", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("slow drip took %v to cut, want about the 300ms timeout", d)
	}
}

func TestHostileHang(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // never answers
	}))
	defer srv.Close()
	cfg := testConfig()
	cfg.Timeout = 200 * time.Millisecond
	c := New(cfg)
	_, err := c.Get(context.Background(), srv.URL, Conditional{})
	if !errors.Is(err, context.DeadlineExceeded) && !strings.Contains(fmt.Sprint(err), "timeout") {
		t.Fatalf("got %v, want a timeout", err)
	}
	if !strings.Contains(fmt.Sprint(err), "timed out") {
		t.Errorf("error %q does not say it timed out", err)
	}

	// The response-header timeout firing before the total deadline (as
	// with the defaults, 20s and 30s) is told in the same words.
	cfg.Timeout = 5 * time.Second
	cfg.ResponseHeaderTimeout = 100 * time.Millisecond
	_, err = New(cfg).Get(context.Background(), srv.URL, Conditional{})
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("got %v, want a net.Error timeout", err)
	}
	if !strings.Contains(fmt.Sprint(err), "timed out waiting for the response") {
		t.Errorf("error %q does not say it timed out waiting for the response", err)
	}
}

// zeros is an endless reader of a repeated byte, so a multi-GiB body is
// streamed without being held anywhere.
type zeros struct{ n int64 }

func (z *zeros) Read(p []byte) (int, error) {
	if z.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > z.n {
		p = p[:z.n]
	}
	for i := range p {
		p[i] = 'a'
	}
	z.n -= int64(len(p))
	return len(p), nil
}

func TestHostileMultiGiBBody(t *testing.T) {
	const size = 4 << 30
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// No Content-Length: chunked, so only the reading limit can stop it.
		w.Header().Set("Content-Type", "text/plain")
		io.Copy(w, &zeros{n: size})
	}))
	defer srv.Close()
	withLength := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(int64(size)))
		io.Copy(w, &zeros{n: size})
	}))
	defer withLength.Close()
	c := New(testConfig()) // 1 MiB limit
	for _, u := range []string{srv.URL, withLength.URL} {
		_, err := c.Get(context.Background(), u, Conditional{})
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("%s: got %v, want ErrTooLarge", u, err)
		}
	}
}

func TestHostileGzipBomb(t *testing.T) {
	// 64 MiB that are about 64 KiB on the wire: one gzip member of 4 MiB
	// of 'a' repeated 16 times (a gzip stream may hold many members), far
	// over the 1 MiB limit once inflated.
	var member bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&member, gzip.BestSpeed)
	io.Copy(zw, &zeros{n: 4 << 20})
	zw.Close()
	bomb := bytes.NewBuffer(bytes.Repeat(member.Bytes(), 16))
	if bomb.Len() > 1<<20 {
		t.Fatalf("bomb is %d bytes on the wire; the test needs it under the limit", bomb.Len())
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Type", "application/xml")
		w.Write(bomb.Bytes())
	}))
	defer srv.Close()
	c := New(testConfig())
	_, err := c.Get(context.Background(), srv.URL, Conditional{})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "decompressed") {
		t.Fatalf("got %v, want ErrTooLarge for the decompressed body", err)
	}
}

func TestHostileRedirectLoop(t *testing.T) {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/a":
			http.Redirect(w, r, "/b", http.StatusFound)
		case "/b":
			http.Redirect(w, r, srv.URL+"/a", http.StatusMovedPermanently)
		case "/chain/3":
			fmt.Fprint(w, "end")
		default: // /chain/N → /chain/N+1
			var n int
			fmt.Sscanf(r.URL.Path, "/chain/%d", &n)
			http.Redirect(w, r, fmt.Sprintf("/chain/%d", n+1), http.StatusFound)
		}
	}))
	defer srv.Close()
	cfg := testConfig()
	cfg.MaxRedirects = 3
	c := New(cfg)
	_, err := c.Get(context.Background(), srv.URL+"/a", Conditional{})
	if !errors.Is(err, ErrTooManyRedirects) {
		t.Fatalf("got %v, want ErrTooManyRedirects", err)
	}
	resp, err := c.Get(context.Background(), srv.URL+"/chain/0", Conditional{})
	if err != nil || resp.URL != srv.URL+"/chain/3" || string(resp.Body) != "end" {
		t.Fatalf("three redirects within the limit: %+v %v", resp, err)
	}
}

func TestHostileRedirectToForbiddenScheme(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "file:///etc/passwd")
		w.WriteHeader(http.StatusFound)
	}))
	defer srv.Close()
	c := New(testConfig())
	if _, err := c.Get(context.Background(), srv.URL, Conditional{}); !errors.Is(err, ErrBadURL) {
		t.Fatalf("got %v, want ErrBadURL", err)
	}
}

func TestHostile500And429(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/429" {
			w.Header().Set("Retry-After", "3600")
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return
		}
		http.Error(w, "boom", http.StatusInternalServerError)
	}))
	defer srv.Close()
	c := New(testConfig())
	_, err := c.Get(context.Background(), srv.URL+"/500", Conditional{})
	var se *StatusError
	if !errors.As(err, &se) || se.Status != 500 {
		t.Fatalf("got %v", err)
	}
	_, err = c.Get(context.Background(), srv.URL+"/429", Conditional{})
	if !errors.As(err, &se) || se.Status != 429 || se.RetryAfter != time.Hour {
		t.Fatalf("got %v", err)
	}
}

func TestHostileWindows1256WithoutHTTPCharset(t *testing.T) {
	const text = "القدس: أخبار عاجلة؟ نعم، وتقارير؛ أيضاً"
	xmlBody := encode(t, "windows-1256", `<?xml version="1.0" encoding="windows-1256"?><rss version="2.0"><channel><title>`+text+`</title></channel></rss>`)
	htmlBody := encode(t, "windows-1256", `<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256"></head><body><p>`+text+`</p></body></html>`)
	bare := encode(t, "windows-1256", `<p>`+text+`</p>`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed":
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write(xmlBody)
		case "/page":
			w.Header().Set("Content-Type", "text/html")
			w.Write(htmlBody)
		case "/bare":
			w.Header().Set("Content-Type", "text/html")
			w.Write(bare)
		}
	}))
	defer srv.Close()
	c := New(testConfig())
	for _, p := range []string{"/feed", "/page", "/bare"} {
		resp, err := c.Get(context.Background(), srv.URL+p, Conditional{})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(resp.Body), text) || resp.Charset != "windows-1256" {
			t.Errorf("%s: charset %q, body %q", p, resp.Charset, resp.Body)
		}
		if strings.Contains(strings.ToLower(string(resp.Body)), "windows-1256") {
			t.Errorf("%s: declaration not rewritten: %q", p, resp.Body[:80])
		}
	}
}

func TestHostileDisallowedByRobots(t *testing.T) {
	var pageHits, robotsHits int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			robotsHits++
			fmt.Fprint(w, "User-agent: *\nDisallow: /\n\nUser-agent: khabar\nDisallow: /private/\nAllow: /private/ok\n")
		default:
			pageHits++
			fmt.Fprint(w, "page")
		}
	}))
	defer srv.Close()
	cfg := testConfig()
	cfg.RespectRobots = true
	c := New(cfg)
	_, err := c.Get(context.Background(), srv.URL+"/private/secret", Conditional{})
	if !errors.Is(err, ErrDisallowed) || !strings.Contains(err.Error(), "/private/secret") {
		t.Fatalf("got %v, want ErrDisallowed naming the URL", err)
	}
	for _, p := range []string{"/private/ok", "/news/1"} {
		if _, err := c.Get(context.Background(), srv.URL+p, Conditional{}); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	if pageHits != 2 || robotsHits != 1 {
		t.Errorf("%d page hits (want 2), %d robots.txt hits (want 1: cached)", pageHits, robotsHits)
	}
}

func TestRobotsRedirectTargetChecked(t *testing.T) {
	blocked := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			fmt.Fprint(w, "User-agent: khabar\nDisallow: /\n")
			return
		}
		t.Errorf("disallowed page %s was fetched", r.URL.Path)
	}))
	defer blocked.Close()
	open := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/go" {
			http.Redirect(w, r, blocked.URL+"/x", http.StatusFound)
		}
	}))
	defer open.Close()
	cfg := testConfig()
	cfg.RespectRobots = true
	c := New(cfg)
	if _, err := c.Get(context.Background(), open.URL+"/go", Conditional{}); !errors.Is(err, ErrDisallowed) {
		t.Fatalf("got %v, want ErrDisallowed for the redirect target", err)
	}
}

func TestRobotsServerErrorAndMissing(t *testing.T) {
	status := http.StatusServiceUnavailable
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			w.WriteHeader(status)
			return
		}
		fmt.Fprint(w, "ok")
	}))
	defer srv.Close()
	cfg := testConfig()
	cfg.RespectRobots = true
	c := New(cfg)
	_, err := c.Get(context.Background(), srv.URL+"/a", Conditional{})
	if !errors.Is(err, ErrDisallowed) || !strings.Contains(err.Error(), "503") {
		t.Fatalf("robots.txt 503: got %v, want ErrDisallowed saying 503", err)
	}
	status = http.StatusNotFound
	c = New(cfg)
	if _, err := c.Get(context.Background(), srv.URL+"/a", Conditional{}); err != nil {
		t.Fatalf("robots.txt 404 allows all: %v", err)
	}
}

// TestReadBodyBufferStaysWithinLimit checks that a body read grows its
// buffer to at most limit+1 bytes, whether it fits or is cut, so that many
// bodies read at once cost at most their limits, not twice as much.
func TestReadBodyBufferStaysWithinLimit(t *testing.T) {
	const limit = 1<<20 + 12345
	for _, tc := range []struct {
		name    string
		size    int64
		tooBig  bool
		gzipped bool
	}{
		{"exactly the limit", limit, false, false},
		{"one byte over", limit + 1, true, false},
		{"far over", 50 * limit, true, false},
		{"gzip inflating to the limit", limit, false, true},
		{"gzip inflating far over", 8 * limit, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var body io.Reader = &zeros{n: tc.size}
			header := http.Header{}
			if tc.gzipped {
				var z bytes.Buffer
				zw := gzip.NewWriter(&z)
				io.Copy(zw, body)
				zw.Close()
				body = &z
				header.Set("Content-Encoding", "gzip")
			}
			resp := &http.Response{Header: header, Body: io.NopCloser(body), ContentLength: -1}
			got, err := readBody(resp, limit)
			if tc.tooBig {
				if !errors.Is(err, ErrTooLarge) {
					t.Fatalf("got %d bytes, err %v; want ErrTooLarge", len(got), err)
				}
				return
			}
			if err != nil || int64(len(got)) != tc.size {
				t.Fatalf("got %d bytes, err %v; want %d", len(got), err, tc.size)
			}
			if cap(got) > limit+1 {
				t.Errorf("buffer grew to %d bytes for a limit of %d", cap(got), limit)
			}
		})
	}
}
