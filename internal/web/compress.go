package web

import (
	"compress/gzip"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// Text answers (pages, CSS, JSON, feeds, sitemaps, CSV) go out gzipped to
// clients that accept it: an article page shrinks to about a fifth, which
// is most of what a reader on a slow phone waits for.

// compressMin is the smallest body worth compressing: below it the gzip
// header and the CPU cost more than they save.
const compressMin = 1024

var gzipPool = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return zw
}}

// compressible reports whether a response of this media type is text.
func compressible(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	if strings.HasPrefix(mt, "text/") {
		return true
	}
	switch mt {
	case "application/json", "application/feed+json", "application/xml", "application/rss+xml",
		"application/atom+xml", "application/opensearchdescription+xml", "application/javascript",
		"image/svg+xml", "text/x-opml":
		return true
	}
	return false
}

// acceptsGzip reports whether the request's Accept-Encoding allows gzip.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		k, v, ok := strings.Cut(strings.TrimSpace(params), "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
			if q, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && q == 0 {
				return false
			}
		}
		return true
	}
	return false
}

// gzipResponse compresses the body when, at the moment the status is
// written, the response turns out to be text of some size.
type gzipResponse struct {
	http.ResponseWriter
	accepts bool
	decided bool
	zw      *gzip.Writer
}

func (g *gzipResponse) WriteHeader(code int) {
	if g.decided || code < 200 {
		g.ResponseWriter.WriteHeader(code)
		return
	}
	g.decided = true
	h := g.Header()
	if compressible(h.Get("Content-Type")) {
		h.Add("Vary", "Accept-Encoding")
		small := false
		if n, err := strconv.Atoi(h.Get("Content-Length")); err == nil && n < compressMin {
			small = true
		}
		if g.accepts && !small && h.Get("Content-Encoding") == "" &&
			code != http.StatusNoContent && code != http.StatusNotModified {
			h.Del("Content-Length")
			h.Set("Content-Encoding", "gzip")
			// The compressed bytes are another representation: the
			// validator becomes weak, which If-None-Match still matches.
			if et := h.Get("ETag"); et != "" && !strings.HasPrefix(et, "W/") {
				h.Set("ETag", "W/"+et)
			}
			g.zw = gzipPool.Get().(*gzip.Writer)
			g.zw.Reset(g.ResponseWriter)
		}
	}
	g.ResponseWriter.WriteHeader(code)
}

func (g *gzipResponse) Write(b []byte) (int, error) {
	if !g.decided {
		if g.Header().Get("Content-Type") == "" {
			g.Header().Set("Content-Type", http.DetectContentType(b))
		}
		g.WriteHeader(http.StatusOK)
	}
	if g.zw != nil {
		return g.zw.Write(b)
	}
	return g.ResponseWriter.Write(b)
}

// Flush sends what is compressed so far: streamed answers (an export)
// reach the client as they are made.
func (g *gzipResponse) Flush() {
	if g.zw != nil {
		_ = g.zw.Flush()
	}
	http.NewResponseController(g.ResponseWriter).Flush()
}

func (g *gzipResponse) Unwrap() http.ResponseWriter { return g.ResponseWriter }

func (g *gzipResponse) close() {
	if g.zw != nil {
		_ = g.zw.Close()
		g.zw.Reset(nil)
		gzipPool.Put(g.zw)
		g.zw = nil
	}
}

// withGzip serves h, gzipping text answers for clients that accept it.
func withGzip(w http.ResponseWriter, r *http.Request, h http.Handler) {
	g := &gzipResponse{ResponseWriter: w, accepts: acceptsGzip(r) && r.Method != http.MethodHead}
	defer g.close()
	h.ServeHTTP(g, r)
}
