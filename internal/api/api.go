// Package api serves khabar's JSON API under /api/v1 and its OpenAPI 3.1
// description at /api/openapi.json. Handlers see only the store interfaces
// and a Searcher, never SQL, so that any backend serves the same API.
//
// Conventions, kept by every endpoint: times are RFC 3339 strings or null
// when unknown; ids that may be absent (duplicate_of, source_id, story) are
// null rather than 0; lists are [] rather than null; errors are
// {"error":{"code":..., "message":...}} with a matching status; GET
// responses carry an ETag and answer If-None-Match with 304.
package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"khabar/internal/search"
	"khabar/internal/store"
)

// Limits of list endpoints.
const (
	DefaultLimit = 20
	MaxLimit     = 100
	relatedLimit = 5
)

// Config holds the API's dependencies. Store and Search are required.
type Config struct {
	Store  store.Store
	Search search.Searcher
	// Explore counts and exports full matches (GET /api/v1/attention,
	// GET /api/v1/search.csv); nil answers those with 501.
	Explore search.Explorer
	// Now is the clock for windows such as "top tags this week"; nil means time.Now.
	Now func() time.Time
	// Logger receives internal errors; nil discards them.
	Logger *slog.Logger
	// CheckToken reports whether a bearer token may change data (POST
	// /api/v1/sources, PATCH and DELETE /api/v1/sources/{id}, PATCH
	// /api/v1/outlets/{key}) and manage alerts
	// (/api/v1/alerts...). nil disables those endpoints: they answer 403.
	CheckToken func(token string) bool
}

// route is one endpoint: the table drives both the mux and the test that
// checks the OpenAPI document describes every route.
type route struct {
	method  string
	pattern string // ServeMux path pattern, also the OpenAPI path
	handle  func(w http.ResponseWriter, r *http.Request) error
}

type server struct {
	cfg    Config
	now    func() time.Time
	log    *slog.Logger
	mux    *http.ServeMux
	routes []route
}

// New returns the API handler. It serves absolute paths (/api/v1/...,
// /api/openapi.json), so mount it at "/api/" without stripping the prefix.
func New(cfg Config) (http.Handler, error) {
	s, err := newServer(cfg)
	if err != nil {
		return nil, err
	}
	return s, nil
}

func newServer(cfg Config) (*server, error) {
	if cfg.Store == nil {
		return nil, errors.New("api: Config.Store is required")
	}
	if cfg.Search == nil {
		return nil, errors.New("api: Config.Search is required")
	}
	s := &server{cfg: cfg, now: cfg.Now, log: cfg.Logger, mux: http.NewServeMux()}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s.routes = []route{
		{"GET", "/api/openapi.json", s.openAPI},
		{"GET", "/api/v1/articles", s.listArticles},
		{"GET", "/api/v1/articles/{id}", s.getArticle},
		{"GET", "/api/v1/search", s.search},
		{"GET", "/api/v1/search.csv", s.searchCSV},
		{"GET", "/api/v1/attention", s.attention},
		{"GET", "/api/v1/sources", s.listSources},
		{"POST", "/api/v1/sources", s.addSource},
		{"GET", "/api/v1/sources/{id}", s.getSource},
		{"PATCH", "/api/v1/sources/{id}", s.patchSource},
		{"DELETE", "/api/v1/sources/{id}", s.deleteSource},
		{"GET", "/api/v1/outlets", s.listOutlets},
		{"GET", "/api/v1/outlets/{key}", s.getOutlet},
		{"PATCH", "/api/v1/outlets/{key}", s.patchOutlet},
		{"GET", "/api/v1/stories", s.listStories},
		{"GET", "/api/v1/stories/{id}", s.getStory},
		{"GET", "/api/v1/tags", s.topTags},
		{"GET", "/api/v1/tags/{tag}", s.getTag},
		{"GET", "/api/v1/entities", s.topEntities},
		{"GET", "/api/v1/entities/{name}", s.getEntity},
		{"GET", "/api/v1/alerts", s.listAlerts},
		{"POST", "/api/v1/alerts", s.addAlert},
		{"GET", "/api/v1/alerts/{id}", s.getAlert},
		{"DELETE", "/api/v1/alerts/{id}", s.deleteAlert},
		{"GET", "/api/v1/alerts/{id}/articles", s.alertArticles},
	}
	for _, rt := range s.routes {
		s.mux.HandleFunc(rt.method+" "+rt.pattern, s.wrap(rt.handle))
	}
	s.mux.HandleFunc("/", s.fallback)
	return s, nil
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	// Public data for dashboards on other origins; credentials are bearer
	// tokens the caller supplies, never cookies, so "*" is safe.
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Expose-Headers", "ETag, Location")
	s.mux.ServeHTTP(w, r)
}

// fallback answers what no route matched: 405 with Allow when the path
// exists under another method, 404 otherwise, both as JSON errors (the
// mux's own answers are plain text).
func (s *server) fallback(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{"GET", "POST", "PATCH", "DELETE"} {
		if m == r.Method {
			continue
		}
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "/" && pattern != "" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		s.writeError(w, r, &Error{Status: http.StatusMethodNotAllowed, Code: "method_not_allowed",
			Message: fmt.Sprintf("method %s is not allowed on %s", r.Method, r.URL.Path)})
		return
	}
	s.writeError(w, r, &Error{Status: http.StatusNotFound, Code: "not_found",
		Message: fmt.Sprintf("no endpoint at %s", r.URL.Path)})
}

func (s *server) wrap(h func(w http.ResponseWriter, r *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	}
}

// Error is an API error with its HTTP status and a stable code.
type Error struct {
	Status  int
	Code    string // not_found, bad_request, unauthorized, forbidden, conflict, internal ...
	Message string
}

func (e *Error) Error() string { return "api: " + e.Code + ": " + e.Message }

func badParam(name, why string) *Error {
	return &Error{Status: http.StatusBadRequest, Code: "bad_request", Message: name + ": " + why}
}

func notFound(what string) *Error {
	return &Error{Status: http.StatusNotFound, Code: "not_found", Message: what + " not found"}
}

func (s *server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var ae *Error
	switch {
	case errors.As(err, &ae):
	case errors.Is(err, store.ErrNotFound):
		ae = &Error{Status: http.StatusNotFound, Code: "not_found", Message: "not found"}
	case errors.Is(err, store.ErrConflict):
		ae = &Error{Status: http.StatusConflict, Code: "conflict", Message: "already exists"}
	case errors.Is(err, store.ErrInvalid):
		ae = &Error{Status: http.StatusBadRequest, Code: "bad_request", Message: err.Error()}
	case errors.Is(err, context.Canceled):
		// The client went away; nobody reads the answer.
		return
	default:
		s.log.Error("api request failed", "path", r.URL.Path, "err", err)
		ae = &Error{Status: http.StatusInternalServerError, Code: "internal", Message: "internal error"}
	}
	body := errorBody{}
	body.Error.Code = ae.Code
	body.Error.Message = ae.Message
	if err := writeJSON(w, r, ae.Status, body, false); err != nil {
		s.log.Error("api error response failed", "path", r.URL.Path, "err", err)
		http.Error(w, `{"error":{"code":"internal","message":"internal error"}}`, http.StatusInternalServerError)
	}
}

type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// Routes lists the "METHOD /pattern" of every endpoint of a handler made by
// New, for documentation checks; other handlers give nil.
func Routes(h http.Handler) []string {
	s, ok := h.(*server)
	if !ok {
		return nil
	}
	out := make([]string, 0, len(s.routes))
	for _, rt := range s.routes {
		out = append(out, rt.method+" "+rt.pattern)
	}
	return out
}
