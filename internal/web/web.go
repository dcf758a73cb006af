// Package web serves khabar's portal: server-rendered, right-to-left
// Arabic pages (home grouped by story, article, story, tag, entity, source,
// sources and search pages), feeds out (RSS 2.0, Atom, JSON Feed) and
// /healthz. Pages need no JavaScript: there is none, and the Content
// Security Policy forbids it. Handlers see only store interfaces and an
// search.Searcher.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"khabar/internal/plaintext"
	"khabar/internal/search"
	"khabar/internal/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static/style.css
var styleCSS []byte

// Config holds the portal's dependencies. Store and Search are required.
type Config struct {
	Store  store.Store
	Search search.Searcher
	// Explore, when set, serves /explore and the alerts' pages (the
	// attention a query gets); without it they are not found.
	Explore search.Explorer
	// API, when set, is mounted at /api/ (it serves absolute paths).
	API http.Handler
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Location is the time zone dates are shown in; nil means UTC.
	Location *time.Location
	// Logger receives errors behind 500 pages; nil discards them.
	Logger *slog.Logger
	// Ready reports whether /healthz should answer 200; nil means always.
	Ready func() bool
	// BaseURL is the absolute URL of the site (e.g. "https://khabar.example"),
	// used for links in feeds; empty means derived from each request.
	BaseURL string
	// CheckToken reports whether a token typed on /login is the admin
	// token; a login lets the reader add and remove sources (one URL, or
	// an OPML file) and alerts. nil disables logins and hides the forms.
	CheckToken func(token string) bool
	// SessionKey signs session cookies and CSRF tokens (at least 16
	// bytes). Derive it from the admin token so that a new token ends
	// every session; nil means a random key per process, so sessions end
	// when the server restarts.
	SessionKey []byte
	// RelatedWait bounds how long an article page waits for its related
	// reading (a search) before it is sent without; the search goes on and
	// the next view shows it. Zero means DefaultRelatedWait.
	RelatedWait time.Duration
	// OutletNames are the names of news outlets and agencies, which never
	// trend (the sources' own titles are added); NameKey, when set, is the
	// form they and terms are compared in (khabar's normalization).
	OutletNames []string
	NameKey     func(string) string
	// Digits is the default digit system of Arabic pages: DigitsArab (the
	// default) or DigitsLatn. Readers may switch; English pages use DigitsLatn.
	Digits string
}

// Server is the portal handler.
type Server struct {
	cfg      Config
	now      func() time.Time
	loc      *time.Location
	log      *slog.Logger
	pages    map[string]*template.Template
	css      []byte
	cssPath  string
	mux      *http.ServeMux
	base     *url.URL
	pageSize int
	stats    statsCache
	sess     *sessions
	rel      *relatedCache
	pcache   *pageCache
	busy     atomic.Int64 // article pages being served, see related.go
	smonths  sitemapMonths
	outletEN outletNamesCache
	// relatedWait is Config.RelatedWait or its default.
	relatedWait time.Duration
}

// New parses the embedded templates and returns the portal handler.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("web: Config.Store is required")
	}
	if cfg.Search == nil {
		return nil, errors.New("web: Config.Search is required")
	}
	switch cfg.Digits {
	case "":
		cfg.Digits = DigitsArab
	case DigitsArab, DigitsLatn:
	default:
		return nil, fmt.Errorf("web: Config.Digits must be %q or %q, got %q", DigitsArab, DigitsLatn, cfg.Digits)
	}
	s := &Server{cfg: cfg, now: cfg.Now, loc: cfg.Location, log: cfg.Logger, css: styleCSS, pageSize: 30,
		rel: newRelatedCache(), pcache: newPageCache(), relatedWait: cfg.RelatedWait}
	if s.relatedWait <= 0 {
		s.relatedWait = DefaultRelatedWait
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.loc == nil {
		s.loc = time.UTC
	}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.BaseURL != "" {
		u, err := url.Parse(strings.TrimSuffix(cfg.BaseURL, "/"))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("web: Config.BaseURL must be an absolute http(s) URL, got %q", cfg.BaseURL)
		}
		s.base = u
	}
	var err error
	if s.sess, err = newSessions(cfg.SessionKey); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(s.css)
	s.cssPath = "/static/style." + hex.EncodeToString(sum[:6]) + ".css"
	if s.pages, err = parseTemplates(); err != nil {
		return nil, err
	}
	s.routes()
	return s, nil
}

func (s *Server) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /{$}", s.home)
	m.HandleFunc("GET /articles/{id}", s.article)
	m.HandleFunc("GET /search", s.search)
	m.HandleFunc("GET /explore", s.explore)
	m.HandleFunc("GET /sources", s.sources)
	m.HandleFunc("GET /sources/{id}", s.source)
	m.HandleFunc("GET /sources.opml", s.sourcesOPML)
	m.HandleFunc("POST /sources", s.guard("/sources", 64<<10, s.addSource))
	m.HandleFunc("POST /sources/import", s.guard("/sources", maxOPML+64<<10, s.importOPML))
	m.HandleFunc("POST /sources/{id}/delete", s.guard("/sources", 16<<10, s.deleteSource))
	m.HandleFunc("GET /tags/{tag}", s.tag)
	m.HandleFunc("GET /entities/{name}", s.entity)
	m.HandleFunc("GET /stories/{id}", s.story)
	m.HandleFunc("GET /settings", s.settings)
	m.HandleFunc("GET /alerts", s.alerts)
	m.HandleFunc("POST /alerts", s.guard("/alerts", 64<<10, s.addAlert))
	m.HandleFunc("GET /alerts/{id}", s.alertPage)
	m.HandleFunc("POST /alerts/{id}/delete", s.guard("/alerts", 16<<10, s.deleteAlert))
	m.HandleFunc("POST /articles/{id}/read", s.readerGuard("/my", s.setArticleState))
	m.HandleFunc("POST /articles/{id}/star", s.readerGuard("/my", s.setArticleState))
	m.HandleFunc("POST /follow", s.readerGuard("/my", s.follow))
	m.HandleFunc("GET /my", s.myNews)
	m.HandleFunc("POST /my/read", s.readerGuard("/my", s.markAllRead))
	m.HandleFunc("GET /login", s.loginForm)
	m.HandleFunc("POST /login", s.login)
	m.HandleFunc("POST /logout", s.guard("/", 16<<10, s.logout))
	m.HandleFunc("GET /healthz", s.healthz)
	m.HandleFunc("GET /static/{file}", s.static)
	m.HandleFunc("GET /feeds/{file}", s.feedTop)
	m.HandleFunc("GET /feeds/tags/{file}", s.feedTag)
	m.HandleFunc("GET /feeds/sources/{file}", s.feedSource)
	m.HandleFunc("GET /feeds/entities/{file}", s.feedEntity)
	m.HandleFunc("GET /feeds/stories/{file}", s.feedStory)
	m.HandleFunc("GET /feeds/alerts/{file}", s.feedAlert)
	m.HandleFunc("GET /opensearch.xml", s.openSearch)
	m.HandleFunc("GET /robots.txt", s.robots)
	m.HandleFunc("GET /sitemap.xml", s.sitemap)
	m.HandleFunc("GET /sitemaps/{file}", s.sitemapFile)
	if s.cfg.API != nil {
		m.Handle("/api/", s.cfg.API)
	}
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) })
	s.mux = m
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	withGzip(w, r, s.mux)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if s.cfg.Ready != nil && !s.cfg.Ready() {
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "starting\n")
		return
	}
	io.WriteString(w, "ok\n")
}

func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	// Only the current hashed name is served, so it can be cached forever.
	if r.URL.Path != s.cssPath {
		s.notFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/css; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", `"`+strings.TrimSuffix(strings.TrimPrefix(s.cssPath, "/static/style."), ".css")+`"`)
	if r.Header.Get("If-None-Match") == h.Get("ETag") {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(s.css)))
	w.Write(s.css)
}

// settings stores the reader's language or digit choice in a cookie and
// returns to the page they came from; it lets pages switch without
// JavaScript and without carrying the choice in every link.
func (s *Server) settings(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	set := func(name, v string) {
		http.SetCookie(w, &http.Cookie{Name: name, Value: v, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
	}
	if v := q.Get("lang"); v == "ar" || v == "en" {
		set("lang", v)
	}
	if v := q.Get("digits"); v == DigitsArab || v == DigitsLatn {
		set("digits", v)
	}
	next := q.Get("next")
	// Only same-site paths: "//host" and "/\host" would leave the site.
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// parseTemplates builds one template set per page: the layout, the shared
// partials and the page's own file.
func parseTemplates() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"pathEscape": url.PathEscape,
		"iso": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.Format(time.RFC3339)
		},
		"paragraphs": paragraphs,
		"excerpt":    plaintext.Excerpt,
		"snippet":    safeSnippet,
		"add":        func(a, b int) int { return a + b },
		// url joins a path of the portal and a query already encoded
		// (url.Values.Encode), which the template must not encode again.
		"url": func(path, query string) template.URL {
			if query == "" {
				return template.URL(path)
			}
			return template.URL(path + "?" + query)
		},
		"host": func(raw string) string {
			if u, err := url.Parse(raw); err == nil && u.Host != "" {
				return strings.TrimPrefix(u.Host, "www.")
			}
			return raw
		},
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: list templates: %w", err)
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" || base == "partials" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html", n)
		if err != nil {
			return nil, fmt.Errorf("web: parse template %s: %w", n, err)
		}
		pages[base] = t
	}
	return pages, nil
}

// render executes a page into a buffer first, so that a template error
// gives a clean error page instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p pageData) {
	body, ok := s.execute(w, r, name, p)
	if !ok {
		return
	}
	etag := ""
	if s.revalidated(r, status, p) {
		etag = etagOf(body)
	}
	s.send(w, r, status, p, body, etag)
}

// renderCached is render for a page kept in the page cache under k (see
// pagecache.go; the template's name goes into the key here) while its data
// stays the same. Pages with a CSRF token are never kept.
func (s *Server) renderCached(w http.ResponseWriter, r *http.Request, name string, k pageKey, p pageData) {
	k.name = name
	if !s.revalidated(r, http.StatusOK, p) {
		s.render(w, r, http.StatusOK, name, p)
		return
	}
	fp, ok := s.pcache.fingerprint(p)
	if !ok {
		s.render(w, r, http.StatusOK, name, p)
		return
	}
	e, hit := s.pcache.get(k, fp)
	if !hit {
		body, ok := s.execute(w, r, name, p)
		if !ok {
			return
		}
		// A copy of exactly its size: the buffer has room to spare.
		e = &cachedPage{fp: fp, body: bytes.Clone(body), etag: etagOf(body)}
		s.pcache.put(k, e)
	}
	s.send(w, r, http.StatusOK, p, e.body, e.etag)
}

// execute renders page name; on an error it answers with the error page
// itself and returns false.
func (s *Server) execute(w http.ResponseWriter, r *http.Request, name string, p pageData) ([]byte, bool) {
	t, ok := s.pages[name]
	if !ok {
		s.log.Error("web: no such template", "template", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return nil, false
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, p); err != nil {
		s.log.Error("web: render failed", "template", name, "path", r.URL.Path, "err", err)
		if name != "error" {
			s.render(w, r, http.StatusInternalServerError, "error", s.errorPage(r))
			return nil, false
		}
		http.Error(w, "internal error", http.StatusInternalServerError)
		return nil, false
	}
	return buf.Bytes(), true
}

// revalidated reports whether the response gets an ETag, so that readers
// revalidate it and are spared the body when nothing changed.
func (s *Server) revalidated(r *http.Request, status int, p pageData) bool {
	return !p.base().LoggedIn && status == http.StatusOK && (r.Method == http.MethodGet || r.Method == http.MethodHead)
}

func etagOf(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}

// send writes a rendered page with its headers; etag is "" when the page
// is not to be revalidated.
func (s *Server) send(w http.ResponseWriter, r *http.Request, status int, p pageData, body []byte, etag string) {
	h := w.Header()
	h.Set("Content-Language", p.base().T.Lang)
	h.Set("Vary", "Cookie")
	if p.base().LoggedIn {
		// A logged-in reader's pages carry the CSRF token: no cache may keep them.
		h.Set("Cache-Control", "private, no-store")
	} else if etag != "" {
		h.Set("ETag", etag)
		h.Set("Cache-Control", "no-cache")
		if inm := r.Header.Get("If-None-Match"); inm != "" && strings.Contains(inm, etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	// No script may run (script-src falls back to 'none'); connect-src
	// 'self' lets a crawler's check that fetches /robots.txt from within
	// the page (Lighthouse's) read it.
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src https: http: data:; form-action 'self'; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// errorPage is the page behind a 404 or a 500, which search engines must
// not keep.
func (s *Server) errorPage(r *http.Request) *errorPage {
	p := &errorPage{Base: s.newBase(r, "")}
	p.NoIndex = true
	return p
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusNotFound, "notfound", s.errorPage(r))
}

// fail answers a store or search error: 404 for ErrNotFound, a 500 page
// (with the cause logged) otherwise.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r)
		return
	}
	if errors.Is(err, r.Context().Err()) && r.Context().Err() != nil {
		return // the reader left
	}
	s.log.Error("web: request failed", "path", r.URL.Path, "err", err)
	p := s.errorPage(r)
	s.render(w, r, http.StatusInternalServerError, "error", p)
}
