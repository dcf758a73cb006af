package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// testConfig is fast and reaches httptest servers on loopback.
func testConfig() Config {
	return Config{
		Contact:      "https://khabar.example/about",
		AllowPrivate: true,
		PerHostDelay: time.Millisecond,
		Timeout:      2 * time.Second,
		MaxBodyBytes: 1 << 20,
	}
}

func TestGetBasicsAndUserAgent(t *testing.T) {
	var gotUA string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotUA = r.UserAgent()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Tue, 28 Jul 2026 09:42:06 GMT")
		fmt.Fprint(w, "مرحبا")
	}))
	defer srv.Close()
	c := New(testConfig())
	resp, err := c.Get(context.Background(), srv.URL+"/a", Conditional{})
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != "مرحبا" || resp.Status != 200 || resp.ETag != `"v1"` || resp.LastModified == "" {
		t.Errorf("got %+v", resp)
	}
	if want := "khabar/0.1 (+https://khabar.example/about)"; gotUA != want {
		t.Errorf("User-Agent %q, want %q", gotUA, want)
	}
	if resp.URL != srv.URL+"/a" {
		t.Errorf("URL %q", resp.URL)
	}
}

func TestConditionalGet(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` || r.Header.Get("If-Modified-Since") == "Tue, 28 Jul 2026 09:42:06 GMT" {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		fmt.Fprint(w, "<rss/>")
	}))
	defer srv.Close()
	c := New(testConfig())
	for _, cond := range []Conditional{{ETag: `"v1"`}, {LastModified: "Tue, 28 Jul 2026 09:42:06 GMT"}} {
		resp, err := c.Get(context.Background(), srv.URL, cond)
		if err != nil {
			t.Fatal(err)
		}
		if !resp.NotModified || resp.Body != nil || resp.Status != 304 {
			t.Errorf("%+v: got %+v", cond, resp)
		}
	}
	resp, err := c.Get(context.Background(), srv.URL, Conditional{ETag: `"old"`})
	if err != nil || resp.NotModified || string(resp.Body) != "<rss/>" {
		t.Errorf("changed: %+v %v", resp, err)
	}
}

func TestStatusErrors(t *testing.T) {
	date := time.Now().Add(90 * time.Second).UTC().Format(http.TimeFormat)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/429":
			w.Header().Set("Retry-After", "120")
			w.WriteHeader(429)
		case "/503":
			w.Header().Set("Retry-After", date)
			w.WriteHeader(503)
		case "/500":
			w.WriteHeader(500)
		case "/404":
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c := New(testConfig())
	tests := []struct {
		path     string
		status   int
		retryMin time.Duration
		retryMax time.Duration
	}{
		{"/429", 429, 120 * time.Second, 120 * time.Second},
		{"/503", 503, 80 * time.Second, 91 * time.Second},
		{"/500", 500, 0, 0},
		{"/404", 404, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			_, err := c.Get(context.Background(), srv.URL+tt.path, Conditional{})
			var se *StatusError
			if !errors.As(err, &se) {
				t.Fatalf("got %v, want *StatusError", err)
			}
			if se.Status != tt.status || se.RetryAfter < tt.retryMin || se.RetryAfter > tt.retryMax {
				t.Errorf("got %+v", se)
			}
			if !strings.Contains(err.Error(), fmt.Sprint(tt.status)) {
				t.Errorf("message %q lacks the status", err)
			}
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 7, 28, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"0", 0},
		{"-5", 0},
		{"30", 30 * time.Second},
		{"Tue, 28 Jul 2026 10:02:00 GMT", 2 * time.Minute},
		{"Tue, 28 Jul 2026 09:00:00 GMT", 0},
		{"soon", 0},
		{"99999999999999999", maxRetryAfter},
	}
	for _, tt := range tests {
		if got := ParseRetryAfter(tt.in, now); got != tt.want {
			t.Errorf("ParseRetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestBackoff(t *testing.T) {
	base, maxD := time.Minute, time.Hour
	tests := []struct {
		n    int
		want time.Duration
	}{
		{0, 0}, {-1, 0}, {1, time.Minute}, {2, 2 * time.Minute}, {3, 4 * time.Minute},
		{6, 32 * time.Minute}, {7, time.Hour}, {1000, time.Hour},
	}
	for _, tt := range tests {
		if got := Backoff(tt.n, base, maxD); got != tt.want {
			t.Errorf("Backoff(%d) = %v, want %v", tt.n, got, tt.want)
		}
	}
}

func TestBadURL(t *testing.T) {
	c := New(testConfig())
	for _, u := range []string{"", "ftp://x/y", "/relative", "javascript:alert(1)", "http://"} {
		if _, err := c.Get(context.Background(), u, Conditional{}); !errors.Is(err, ErrBadURL) {
			t.Errorf("%q: got %v, want ErrBadURL", u, err)
		}
	}
}

func TestGzipAndDeflateBodies(t *testing.T) {
	payload := strings.Repeat("خبر عاجل ", 1000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			t.Errorf("Accept-Encoding %q", r.Header.Get("Accept-Encoding"))
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		switch r.URL.Path {
		case "/gzip":
			w.Header().Set("Content-Encoding", "gzip")
			zw := gzip.NewWriter(w)
			io.WriteString(zw, payload)
			zw.Close()
		case "/zlib":
			w.Header().Set("Content-Encoding", "deflate")
			w.Write(zlibBytes(t, payload))
		case "/raw-deflate":
			w.Header().Set("Content-Encoding", "deflate")
			w.Write(flateBytes(t, payload))
		}
	}))
	defer srv.Close()
	c := New(testConfig())
	for _, p := range []string{"/gzip", "/zlib", "/raw-deflate"} {
		resp, err := c.Get(context.Background(), srv.URL+p, Conditional{})
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if string(resp.Body) != payload {
			t.Errorf("%s: body of %d bytes differs", p, len(resp.Body))
		}
	}
}

func TestPerHostSerializationAndDelay(t *testing.T) {
	var inFlight, maxInFlight atomic.Int32
	var mu sync.Mutex
	var starts, ends []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			m := maxInFlight.Load()
			if n <= m || maxInFlight.CompareAndSwap(m, n) {
				break
			}
		}
		mu.Lock()
		starts = append(starts, time.Now())
		mu.Unlock()
		time.Sleep(5 * time.Millisecond)
		mu.Lock()
		ends = append(ends, time.Now())
		mu.Unlock()
	}))
	defer srv.Close()
	cfg := testConfig()
	cfg.PerHostDelay = 40 * time.Millisecond
	c := New(cfg)
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			if _, err := c.Get(context.Background(), fmt.Sprintf("%s/%d", srv.URL, i), Conditional{}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if maxInFlight.Load() != 1 {
		t.Errorf("%d requests in flight to one host at once, want 1", maxInFlight.Load())
	}
	for i := 1; i < len(starts); i++ {
		if gap := starts[i].Sub(ends[i-1]); gap < 40*time.Millisecond {
			t.Errorf("request %d started %v after request %d ended, want ≥ 40ms", i, gap, i-1)
		}
	}
}

func TestGlobalConcurrencyBound(t *testing.T) {
	var inFlight, maxInFlight atomic.Int32
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			m := maxInFlight.Load()
			if n <= m || maxInFlight.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
	})
	// Four hosts: 127.0.0.1 on four ports are four hosts to the pacer.
	var urls []string
	for range 4 {
		s := httptest.NewServer(handler)
		defer s.Close()
		urls = append(urls, s.URL)
	}
	cfg := testConfig()
	cfg.MaxConcurrent = 2
	c := New(cfg)
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Go(func() {
			if _, err := c.Get(context.Background(), u, Conditional{}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got := maxInFlight.Load(); got > 2 {
		t.Errorf("%d requests in flight, want ≤ 2", got)
	}
}

func TestContextCancelWhileWaitingForHost(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
	}))
	defer srv.Close()
	defer close(release)
	c := New(testConfig())
	go c.Get(context.Background(), srv.URL+"/slow", Conditional{})
	time.Sleep(50 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := c.Get(ctx, srv.URL+"/second", Conditional{})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v, want a deadline error while waiting for the host", err)
	}
}

func zlibBytes(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zlibNewWriter(&b)
	io.WriteString(zw, s)
	zw.Close()
	return b.Bytes()
}

func flateBytes(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	fw := flateNewWriter(&b)
	io.WriteString(fw, s)
	fw.Close()
	return b.Bytes()
}
