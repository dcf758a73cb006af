package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gunzip: %v", err)
	}
	return out
}

func TestPagesAreGzipped(t *testing.T) {
	f := newFixture(t)
	s := f.server(t, nil)
	path := "/articles/" + itoa(f.ref.ID)
	plain := get(t, s, path)
	if plain.Header().Get("Content-Encoding") != "" {
		t.Fatalf("compressed for a client that did not ask")
	}
	if vary := strings.Join(plain.Header().Values("Vary"), ","); !strings.Contains(vary, "Accept-Encoding") || !strings.Contains(vary, "Cookie") {
		t.Errorf("Vary %q", plain.Header().Values("Vary"))
	}
	zipped := get(t, s, path, "Accept-Encoding", "br, gzip;q=0.8")
	if zipped.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding %q, want gzip", zipped.Header().Get("Content-Encoding"))
	}
	if zipped.Header().Get("Content-Length") != "" {
		t.Errorf("Content-Length %q of the uncompressed body kept", zipped.Header().Get("Content-Length"))
	}
	if got := gunzip(t, zipped.Body.Bytes()); !bytes.Equal(got, plain.Body.Bytes()) {
		t.Errorf("the gzipped page is not the page")
	}
	if zipped.Body.Len()*2 > plain.Body.Len() {
		t.Errorf("gzip gave %d bytes for %d", zipped.Body.Len(), plain.Body.Len())
	}
	// The ETag of the gzipped page is weak, and revalidates.
	et := zipped.Header().Get("ETag")
	if !strings.HasPrefix(et, `W/"`) {
		t.Fatalf("ETag %q, want a weak one", et)
	}
	if w := get(t, s, path, "Accept-Encoding", "gzip", "If-None-Match", et); w.Code != http.StatusNotModified || w.Body.Len() != 0 {
		t.Errorf("revalidation: status %d, %d bytes", w.Code, w.Body.Len())
	}
	// gzip;q=0 refuses it.
	if w := get(t, s, path, "Accept-Encoding", "gzip;q=0, identity"); w.Header().Get("Content-Encoding") != "" {
		t.Errorf("gzip sent to a client that refused it")
	}
	// CSS and XML are text too; a HEAD is not compressed.
	for _, p := range []string{s.cssPath, "/sitemaps/pages.xml", "/feeds/latest.xml"} {
		w := get(t, s, p, "Accept-Encoding", "gzip")
		if w.Code != 200 || w.Header().Get("Content-Encoding") != "gzip" {
			t.Errorf("%s: status %d, encoding %q", p, w.Code, w.Header().Get("Content-Encoding"))
		}
	}
	r := httptest.NewRequest("HEAD", path, nil)
	r.Header.Set("Accept-Encoding", "gzip")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if w.Header().Get("Content-Encoding") != "" || w.Body.Len() != 0 {
		t.Errorf("HEAD: encoding %q, %d bytes", w.Header().Get("Content-Encoding"), w.Body.Len())
	}
}

func TestSmallAndBinaryAnswersAreNotGzipped(t *testing.T) {
	h := http.NewServeMux()
	h.HandleFunc("/small", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Content-Length", "3")
		io.WriteString(w, "ok\n")
	})
	h.HandleFunc("/png", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write(bytes.Repeat([]byte{0}, 4096))
	})
	h.HandleFunc("/stream", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/csv")
		for i := 0; i < 3; i++ {
			io.WriteString(w, strings.Repeat("a,b\n", 500))
			w.(http.Flusher).Flush()
		}
	})
	serve := func(path string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", path, nil)
		r.Header.Set("Accept-Encoding", "gzip")
		w := httptest.NewRecorder()
		withGzip(w, r, h)
		return w
	}
	if w := serve("/small"); w.Header().Get("Content-Encoding") != "" || w.Body.String() != "ok\n" {
		t.Errorf("small: encoding %q body %q", w.Header().Get("Content-Encoding"), w.Body)
	}
	if w := serve("/png"); w.Header().Get("Content-Encoding") != "" || w.Body.Len() != 4096 {
		t.Errorf("png: encoding %q, %d bytes", w.Header().Get("Content-Encoding"), w.Body.Len())
	}
	w := serve("/stream")
	if w.Header().Get("Content-Encoding") != "gzip" || !w.Flushed {
		t.Fatalf("stream: encoding %q flushed %v", w.Header().Get("Content-Encoding"), w.Flushed)
	}
	if got := string(gunzip(t, w.Body.Bytes())); got != strings.Repeat("a,b\n", 1500) {
		t.Errorf("stream: %d bytes back", len(got))
	}
}
