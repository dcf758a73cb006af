package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"khabar/internal/analysis"
	"khabar/internal/api"
	"khabar/internal/entities"
	"khabar/internal/model"
	"khabar/internal/search"
	"khabar/internal/store"
	"khabar/internal/store/sqlite/sqlitetest"
)

var testNow = time.Date(2024, 3, 3, 12, 0, 0, 0, time.UTC)

type fixture struct {
	st                   store.Store
	h                    http.Handler
	ref, copyOf, related model.Article
	src                  model.Source
}

// analyzer is the analysis every fixture's search runs with, as serve
// wires it: built once, it is read-only.
var analyzer = sync.OnceValue(func() *analysis.Analyzer {
	return analysis.New(analysis.Options{Names: entities.BuiltinNames()})
})

// save stores a with the index forms the pipeline gives it, so that the
// search service finds it.
func save(t *testing.T, st store.Store, a *model.Article) {
	t.Helper()
	if _, err := st.SaveArticle(context.Background(), a, search.IndexText(analyzer(), a.Title, a.Text)); err != nil {
		t.Fatal(err)
	}
}

// newFixture serves the API over a fresh SQLite store holding a small
// newsroom, with the real search service.
func newFixture(t *testing.T, mod func(*api.Config)) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{st: sqlitetest.Open(t)}
	f.src = model.Source{URL: "https://almustakillah.example/feed", Title: "المستقلة", LastError: "fetch: timeout",
		LastFetched: testNow.Add(-time.Hour)}
	if err := f.st.AddSource(ctx, &f.src); err != nil {
		t.Fatal(err)
	}
	f.ref = model.Article{URL: "https://almustakillah.example/a", SourceID: f.src.ID, SourceName: "المستقلة",
		Title: "لا خطط لانسحاب قوات التحالف الدولي من العراق", Text: "قال المبعوث ألن مكاري ان مهمة التحالف الدولي لم تنته.\n\nوأضاف مكاري.",
		Published: time.Date(2024, 3, 2, 9, 30, 0, 0, time.UTC), Agency: "وكالة الصحافة المستقلة", Language: "ar",
		Keywords: []string{"التحالف الدولي", "قوات التحالف"},
		Entities: []model.Entity{{Name: "ألن مكاري", Type: "PERS", Mentions: []string{"مكاري"}}, {Name: "العراق", Type: "LOC"}}}
	save(t, f.st, &f.ref)
	f.copyOf = model.Article{URL: "https://copy.example/a", SourceName: "ناقل", Title: "التحالف باق في العراق",
		Text: "قال المبعوث ان مهمة التحالف الدولي لم تنته.", Published: f.ref.Published.Add(time.Hour),
		StoryID: f.ref.StoryID, DuplicateOf: f.ref.ID, Keywords: []string{"التحالف الدولي"}}
	f.related = model.Article{URL: "https://arabi.example/t", SourceName: "عربي", Title: "هجوم تدمر",
		Text: "التحالف الدولي في سوريا.", Published: time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC), Keywords: []string{"التحالف الدولي"},
		Entities: []model.Entity{{Name: "العراق", Type: "LOC", Mentions: []string{"العراق"}}}}
	save(t, f.st, &f.copyOf)
	save(t, f.st, &f.related)
	cfg := api.Config{Store: f.st, Search: search.New(f.st, analyzer()), Now: func() time.Time { return testNow },
		CheckToken: func(tok string) bool { return tok == "secret" }}
	if mod != nil {
		mod(&cfg)
	}
	h, err := api.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.h = h
	return f
}

func do(t *testing.T, h http.Handler, method, target, body string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// decode checks status and content type and decodes the body into a map.
func decode(t *testing.T, w *httptest.ResponseRecorder, status int) map[string]any {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d: %s", w.Code, status, w.Body)
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Fatalf("Content-Type %q", ct)
	}
	var m map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, w.Body)
	}
	return m
}

func hasKeys(t *testing.T, what string, m map[string]any, keys ...string) {
	t.Helper()
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			t.Errorf("%s lacks %q: %v", what, k, m)
		}
	}
}

func list(t *testing.T, m map[string]any, key string) []map[string]any {
	t.Helper()
	raw, ok := m[key].([]any)
	if !ok {
		t.Fatalf("%q is not a list: %v", key, m[key])
	}
	out := make([]map[string]any, 0, len(raw))
	for _, x := range raw {
		out = append(out, x.(map[string]any))
	}
	return out
}

func id(a model.Article) string { return strconv.FormatInt(a.ID, 10) }

func TestListArticles(t *testing.T) {
	f := newFixture(t, nil)
	m := decode(t, do(t, f.h, "GET", "/api/v1/articles", ""), 200)
	hasKeys(t, "listing", m, "articles", "total")
	arts := list(t, m, "articles")
	if m["total"].(float64) != 3 || len(arts) != 3 {
		t.Fatalf("total %v, %d articles", m["total"], len(arts))
	}
	for _, a := range arts {
		hasKeys(t, "article item", a, "id", "url", "title", "published", "source", "source_id", "keywords", "duplicate_of", "story_id")
	}
	if arts[0]["url"] != f.copyOf.URL || arts[0]["published"] != "2024-03-02T10:30:00Z" {
		t.Errorf("first %v, want the newest", arts[0])
	}
	if arts[0]["source_id"] != nil || arts[1]["source_id"].(float64) != float64(f.src.ID) {
		t.Errorf("source_id: %v %v", arts[0]["source_id"], arts[1]["source_id"])
	}
	m = decode(t, do(t, f.h, "GET", "/api/v1/articles?limit=1&offset=1", ""), 200)
	if arts := list(t, m, "articles"); len(arts) != 1 || arts[0]["url"] != f.ref.URL || m["total"].(float64) != 3 {
		t.Errorf("page 2: %v", m)
	}
	m = decode(t, do(t, f.h, "GET", "/api/v1/articles?limit=1000", ""), 200)
	if m["limit"].(float64) != api.MaxLimit {
		t.Errorf("limit not capped: %v", m["limit"])
	}
	m = decode(t, do(t, f.h, "GET", "/api/v1/articles?source="+strconv.FormatInt(f.src.ID, 10), ""), 200)
	if m["total"].(float64) != 1 {
		t.Errorf("source filter: %v", m["total"])
	}
}

func TestBadParameters(t *testing.T) {
	f := newFixture(t, nil)
	cases := map[string]string{
		"/api/v1/articles?limit=abc":       "limit",
		"/api/v1/articles?limit=0":         "limit",
		"/api/v1/articles?limit=-5":        "limit",
		"/api/v1/articles?offset=-1":       "offset",
		"/api/v1/articles?offset=x":        "offset",
		"/api/v1/articles?since=yesterday": "since",
		"/api/v1/articles?source=abc":      "source",
		"/api/v1/articles/abc":             "id",
		"/api/v1/articles/0":               "id",
		"/api/v1/search":                   "q",
		"/api/v1/search?q=%20":             "q",
		"/api/v1/search?q=x&limit=y":       "limit",
		"/api/v1/search?q=x&source=1,0":    "source",
		"/api/v1/stories?offset=-2":        "offset",
		"/api/v1/stories/x":                "id",
		"/api/v1/tags?days=0":              "days",
		"/api/v1/tags?days=7x":             "days",
		"/api/v1/entities?limit=none":      "limit",
		"/api/v1/sources/1.5":              "id",
		"/api/v1/tags/x?limit=1e3":         "limit",
		"/api/v1/entities/x?offset=1.5":    "offset",
	}
	for target, param := range cases {
		m := decode(t, do(t, f.h, "GET", target, ""), 400)
		e := m["error"].(map[string]any)
		if e["code"] != "bad_request" || !strings.HasPrefix(e["message"].(string), param+":") {
			t.Errorf("%s: %v, want a bad_request naming %s", target, e, param)
		}
	}
}

// TestGetArticleLater: related articles published more than a story's
// span after the article are its later developments, listed apart under
// "later" as the article page shows them, and not under "related".
func TestGetArticleLater(t *testing.T) {
	f := newFixture(t, nil)
	later := model.Article{URL: "https://arabi.example/later", SourceName: "عربي", Title: "التحالف الدولي يعلن انسحابه",
		Text:      "أعلن التحالف الدولي انسحاب قواته من العراق. وقال المبعوث ألن مكاري ان المهمة انتهت.",
		Published: f.ref.Published.Add(40 * 24 * time.Hour), Keywords: []string{"التحالف الدولي"},
		Entities: []model.Entity{{Name: "ألن مكاري", Type: "PERS", Mentions: []string{"مكاري"}}, {Name: "العراق", Type: "LOC"}}}
	save(t, f.st, &later)
	m := decode(t, do(t, f.h, "GET", "/api/v1/articles/"+id(f.ref), ""), 200)
	hasKeys(t, "article", m, "related", "later")
	if rel := list(t, m, "related"); len(rel) != 1 || rel[0]["url"] != f.related.URL {
		t.Errorf("related %v, want only the background article", rel)
	}
	lat := list(t, m, "later")
	if len(lat) != 1 || lat[0]["url"] != later.URL {
		t.Fatalf("later %v, want the article published 40 days after", lat)
	}
	hasKeys(t, "later", lat[0], "id", "url", "title", "source", "published")
	// Seen from the later article, the reference is background.
	m = decode(t, do(t, f.h, "GET", "/api/v1/articles/"+id(later), ""), 200)
	if lat := list(t, m, "later"); len(lat) != 0 {
		t.Errorf("later of the latest article %v, want none", lat)
	}
	if rel := list(t, m, "related"); len(rel) == 0 {
		t.Errorf("related of the later article is empty, want the earlier ones")
	}
}

func TestGetArticle(t *testing.T) {
	f := newFixture(t, nil)
	m := decode(t, do(t, f.h, "GET", "/api/v1/articles/"+id(f.ref), ""), 200)
	hasKeys(t, "article", m, "id", "url", "title", "text", "published", "modified", "source", "agency", "authors",
		"language", "image", "keywords", "entities", "related", "duplicate_of", "story")
	if m["modified"] != nil || m["duplicate_of"] != nil {
		t.Errorf("unknown modified / no original must be null: %v %v", m["modified"], m["duplicate_of"])
	}
	if m["agency"] != "وكالة الصحافة المستقلة" || m["published"] != "2024-03-02T09:30:00Z" {
		t.Errorf("fields: %v", m)
	}
	if kw := m["keywords"].([]any); len(kw) != 2 || kw[0] != "التحالف الدولي" {
		t.Errorf("keywords %v", kw)
	}
	if a := m["authors"].([]any); len(a) != 0 {
		t.Errorf("authors %v", a)
	}
	ents := list(t, m, "entities")
	if len(ents) != 2 || ents[0]["name"] != "ألن مكاري" || ents[0]["type"] != "PERS" {
		t.Errorf("entities %v", ents)
	}
	if ms, ok := ents[1]["mentions"].([]any); !ok || len(ms) != 0 {
		t.Errorf("mentions must be a list: %v", ents[1]["mentions"])
	}
	rel := list(t, m, "related")
	if len(rel) != 1 || rel[0]["url"] != f.related.URL {
		t.Errorf("related %v (must hold the other story, never the copy)", rel)
	}
	hasKeys(t, "related", rel[0], "id", "url", "title", "source", "published")
	story := m["story"].(map[string]any)
	hasKeys(t, "story", story, "id", "articles", "outlets", "first_seen", "last_seen")
	if sa := list(t, story, "articles"); len(sa) != 2 || sa[0]["url"] != f.ref.URL || sa[1]["url"] != f.copyOf.URL {
		t.Errorf("story articles %v", sa)
	}
	// The copy points at its original.
	m = decode(t, do(t, f.h, "GET", "/api/v1/articles/"+id(f.copyOf), ""), 200)
	if m["duplicate_of"].(float64) != float64(f.ref.ID) {
		t.Errorf("duplicate_of %v", m["duplicate_of"])
	}
	m = decode(t, do(t, f.h, "GET", "/api/v1/articles/999", ""), 404)
	if e := m["error"].(map[string]any); e["code"] != "not_found" || !strings.Contains(e["message"].(string), "999") {
		t.Errorf("404 body %v", e)
	}
}

func TestSearch(t *testing.T) {
	f := newFixture(t, nil)
	m := decode(t, do(t, f.h, "GET", "/api/v1/search?q="+url.QueryEscape("التحالف")+"&limit=2", ""), 200)
	res := list(t, m, "results")
	if m["total"].(float64) != 3 || len(res) != 2 {
		t.Fatalf("total %v, %d results", m["total"], len(res))
	}
	for _, r := range res {
		hasKeys(t, "result", r, "id", "url", "title", "snippet", "published", "source", "score")
	}
	if !strings.Contains(res[0]["snippet"].(string), "<mark>") {
		t.Errorf("snippet %q", res[0]["snippet"])
	}
	m = decode(t, do(t, f.h, "GET", "/api/v1/search?q="+url.QueryEscape("التحالف")+"&source="+strconv.FormatInt(f.src.ID, 10), ""), 200)
	if m["total"].(float64) != 1 {
		t.Errorf("source filter: %v", m["total"])
	}
	broken := newFixture(t, func(c *api.Config) { c.Search = failingSearcher{errors.New("boom")} })
	m = decode(t, do(t, broken.h, "GET", "/api/v1/search?q=x", ""), 500)
	if e := m["error"].(map[string]any); e["code"] != "internal" || strings.Contains(e["message"].(string), "boom") {
		t.Errorf("500 body %v (must not leak internals)", e)
	}
	// A query the searcher rejects is the client's error, naming q.
	invalid := newFixture(t, func(c *api.Config) {
		c.Search = failingSearcher{fmt.Errorf("search: unbalanced quote: %w", store.ErrInvalid)}
	})
	m = decode(t, do(t, invalid.h, "GET", "/api/v1/search?q=%22x", ""), 400)
	if e := m["error"].(map[string]any); e["code"] != "bad_request" || !strings.HasPrefix(e["message"].(string), "q: ") {
		t.Errorf("invalid query: %v", e)
	}
}

func TestSourcesStoriesTagsEntities(t *testing.T) {
	f := newFixture(t, nil)
	m := decode(t, do(t, f.h, "GET", "/api/v1/sources", ""), 200)
	srcs := list(t, m, "sources")
	if len(srcs) != 1 {
		t.Fatalf("sources %v", srcs)
	}
	hasKeys(t, "source", srcs[0], "id", "url", "title", "last_error", "last_fetched", "next_fetch", "articles")
	if srcs[0]["last_error"] != "fetch: timeout" || srcs[0]["articles"].(float64) != 1 || srcs[0]["next_fetch"] != nil {
		t.Errorf("source %v", srcs[0])
	}
	decode(t, do(t, f.h, "GET", "/api/v1/sources/"+strconv.FormatInt(f.src.ID, 10), ""), 200)
	decode(t, do(t, f.h, "GET", "/api/v1/sources/99", ""), 404)

	m = decode(t, do(t, f.h, "GET", "/api/v1/stories", ""), 200)
	stories := list(t, m, "stories")
	if m["total"].(float64) != 2 || len(stories) != 2 {
		t.Fatalf("stories %v", m)
	}
	hasKeys(t, "story", stories[0], "id", "title", "first_seen", "last_seen", "article_count", "outlets", "articles")
	if stories[0]["article_count"].(float64) != 2 || stories[0]["outlets"].(float64) != 2 {
		t.Errorf("story %v", stories[0])
	}
	m = decode(t, do(t, f.h, "GET", "/api/v1/stories/"+strconv.FormatInt(f.ref.StoryID, 10), ""), 200)
	if len(list(t, m, "articles")) != 2 {
		t.Errorf("story %v", m)
	}
	decode(t, do(t, f.h, "GET", "/api/v1/stories/999", ""), 404)

	m = decode(t, do(t, f.h, "GET", "/api/v1/tags/"+url.PathEscape("التحالف الدولي"), ""), 200)
	if m["tag"] != "التحالف الدولي" || m["total"].(float64) != 3 {
		t.Errorf("tag %v", m)
	}
	m = decode(t, do(t, f.h, "GET", "/api/v1/tags/"+url.PathEscape("لا شيء"), ""), 200)
	if m["total"].(float64) != 0 || len(list(t, m, "articles")) != 0 {
		t.Errorf("unknown tag %v", m)
	}
	m = decode(t, do(t, f.h, "GET", "/api/v1/tags?days=30", ""), 200)
	if tags := list(t, m, "tags"); len(tags) == 0 || tags[0]["name"] != "التحالف الدولي" || tags[0]["count"].(float64) != 3 {
		t.Errorf("top tags %v", m)
	}
	m = decode(t, do(t, f.h, "GET", "/api/v1/entities?days=30", ""), 200)
	if ents := list(t, m, "entities"); len(ents) == 0 || ents[0]["name"] != "العراق" || ents[0]["type"] != "LOC" {
		t.Errorf("top entities %v", m)
	}

	m = decode(t, do(t, f.h, "GET", "/api/v1/entities/"+url.PathEscape("العراق"), ""), 200)
	hasKeys(t, "entity", m, "name", "type", "aliases", "article_count", "related", "articles", "total")
	arts := list(t, m, "articles")
	if m["type"] != "LOC" || len(arts) != 2 || arts[0]["url"] != f.ref.URL {
		t.Errorf("entity %v", m)
	}
	if rel := list(t, m, "related"); len(rel) != 1 || rel[0]["name"] != "ألن مكاري" {
		t.Errorf("entity related %v", rel)
	}
	decode(t, do(t, f.h, "GET", "/api/v1/entities/"+url.PathEscape("لا أحد"), ""), 404)
}

func TestETag(t *testing.T) {
	f := newFixture(t, nil)
	w := do(t, f.h, "GET", "/api/v1/articles/"+id(f.ref), "")
	tag := w.Header().Get("ETag")
	if !regexp.MustCompile(`^"[0-9a-f]{32}"$`).MatchString(tag) {
		t.Fatalf("ETag %q", tag)
	}
	if w2 := do(t, f.h, "GET", "/api/v1/articles/"+id(f.ref), ""); w2.Header().Get("ETag") != tag {
		t.Errorf("ETag not stable")
	}
	w = do(t, f.h, "GET", "/api/v1/articles/"+id(f.ref), "", "If-None-Match", `"other", W/`+tag)
	if w.Code != http.StatusNotModified || w.Body.Len() != 0 {
		t.Errorf("If-None-Match: %d %q", w.Code, w.Body)
	}
	if w := do(t, f.h, "GET", "/api/v1/articles/"+id(f.ref), "", "If-None-Match", `"other"`); w.Code != 200 {
		t.Errorf("non-matching If-None-Match: %d", w.Code)
	}
	if w := do(t, f.h, "GET", "/api/v1/articles/999", ""); w.Header().Get("ETag") != "" {
		t.Errorf("error has an ETag")
	}
}

func TestNotFoundAndMethods(t *testing.T) {
	f := newFixture(t, nil)
	m := decode(t, do(t, f.h, "GET", "/api/v1/nothing", ""), 404)
	if m["error"].(map[string]any)["code"] != "not_found" {
		t.Errorf("%v", m)
	}
	w := do(t, f.h, "DELETE", "/api/v1/articles", "")
	m = decode(t, w, 405)
	if m["error"].(map[string]any)["code"] != "method_not_allowed" || w.Header().Get("Allow") != "GET" {
		t.Errorf("%v %v", m, w.Header())
	}
}

func TestAddSource(t *testing.T) {
	f := newFixture(t, nil)
	body := `{"url": "https://new.example/feed.xml", "title": "جديد"}`
	auth := []string{"Authorization", "Bearer secret", "Content-Type", "application/json"}

	m := decode(t, do(t, f.h, "POST", "/api/v1/sources", body), 401)
	if m["error"].(map[string]any)["code"] != "unauthorized" {
		t.Errorf("%v", m)
	}
	m = decode(t, do(t, f.h, "POST", "/api/v1/sources", body, "Authorization", "Bearer wrong"), 403)
	if m["error"].(map[string]any)["code"] != "forbidden" {
		t.Errorf("wrong token: %v", m)
	}
	decode(t, do(t, f.h, "POST", "/api/v1/sources", body, "Authorization", "Basic c2VjcmV0"), 401)

	w := do(t, f.h, "POST", "/api/v1/sources", body, auth...)
	m = decode(t, w, 201)
	if m["url"] != "https://new.example/feed.xml" || m["title"] != "جديد" || w.Header().Get("Location") != "/api/v1/sources/"+strconv.Itoa(int(m["id"].(float64))) {
		t.Errorf("created %v %v", m, w.Header())
	}
	if _, err := f.st.GetSourceByURL(context.Background(), "https://new.example/feed.xml"); err != nil {
		t.Errorf("not stored: %v", err)
	}
	decode(t, do(t, f.h, "POST", "/api/v1/sources", body, auth...), 409)

	for _, bad := range []string{`{"url": "ftp://x.example/f"}`, `{"url": "not a url"}`, `{"url": ""}`, `{}`, `{"url": "https://"}`,
		`[1]`, `{"url": "https://x.example", "extra": 1}`, `{"url": `} {
		m := decode(t, do(t, f.h, "POST", "/api/v1/sources", bad, auth...), 400)
		if m["error"].(map[string]any)["code"] != "bad_request" {
			t.Errorf("%s: %v", bad, m)
		}
	}
	ro := newFixture(t, func(c *api.Config) { c.CheckToken = nil })
	decode(t, do(t, ro.h, "POST", "/api/v1/sources", body, auth...), 403)
}

func TestDeleteSource(t *testing.T) {
	f := newFixture(t, nil)
	path := "/api/v1/sources/" + strconv.FormatInt(f.src.ID, 10)
	decode(t, do(t, f.h, "DELETE", path, ""), 401)
	decode(t, do(t, f.h, "DELETE", path, "", "Authorization", "Bearer wrong"), 403)
	if _, err := f.st.GetSource(context.Background(), f.src.ID); err != nil {
		t.Fatalf("refused deletes removed the source: %v", err)
	}
	w := do(t, f.h, "DELETE", path, "", "Authorization", "Bearer secret")
	if w.Code != http.StatusNoContent || w.Body.Len() != 0 {
		t.Fatalf("delete: %d %q", w.Code, w.Body.String())
	}
	if _, err := f.st.GetSource(context.Background(), f.src.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("source still there: %v", err)
	}
	// Its articles stay readable.
	decode(t, do(t, f.h, "GET", "/api/v1/articles/"+strconv.FormatInt(f.ref.ID, 10), ""), 200)
	m := decode(t, do(t, f.h, "DELETE", path, "", "Authorization", "Bearer secret"), 404)
	if m["error"].(map[string]any)["code"] != "not_found" {
		t.Errorf("second delete: %v", m)
	}
	decode(t, do(t, f.h, "DELETE", "/api/v1/sources/x", "", "Authorization", "Bearer secret"), 400)
}

func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	f := newFixture(t, nil)
	w := do(t, f.h, "GET", "/api/openapi.json", "")
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
		Comp    map[string]map[string]any            `json:"components"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi %q", doc.OpenAPI)
	}
	routes := api.Routes(f.h)
	if len(routes) < 10 {
		t.Fatalf("only %d routes", len(routes))
	}
	described := 0
	for _, rt := range routes {
		method, path, _ := strings.Cut(rt, " ")
		op, ok := doc.Paths[path][strings.ToLower(method)]
		if !ok {
			t.Errorf("route %s is not in openapi.json", rt)
			continue
		}
		described++
		if _, ok := op["responses"]; !ok {
			t.Errorf("%s has no responses", rt)
		}
	}
	// And nothing described that the router does not serve.
	n := 0
	for _, ops := range doc.Paths {
		n += len(ops)
	}
	if n != described {
		t.Errorf("openapi.json describes %d operations, router serves %d", n, described)
	}
	// Every $ref resolves.
	refs := regexp.MustCompile(`"\$ref":\s*"#/components/(\w+)/(\w+)"`).FindAllStringSubmatch(w.Body.String(), -1)
	for _, r := range refs {
		if _, ok := doc.Comp[r[1]][r[2]]; !ok {
			t.Errorf("dangling $ref %s/%s", r[1], r[2])
		}
	}
}

func TestParsePage(t *testing.T) {
	q := url.Values{"limit": {"500"}, "offset": {"7"}}
	p, err := api.ParsePage(q, 20, 100)
	if err != nil || p.Limit != 100 || p.Offset != 7 {
		t.Errorf("%+v %v", p, err)
	}
	p, err = api.ParsePage(url.Values{}, 20, 100)
	if err != nil || p.Limit != 20 || p.Offset != 0 {
		t.Errorf("%+v %v", p, err)
	}
}

func TestConfigErrors(t *testing.T) {
	if _, err := api.New(api.Config{}); err == nil || !strings.HasPrefix(err.Error(), "api: ") {
		t.Errorf("New without store: %v", err)
	}
	if _, err := api.New(api.Config{Store: sqlitetest.Open(t)}); err == nil {
		t.Errorf("New without search: nil error")
	}
}

func TestAlerts(t *testing.T) {
	f := newFixture(t, nil)
	auth := []string{"Authorization", "Bearer secret"}
	decode(t, do(t, f.h, "GET", "/api/v1/alerts", ""), 401)
	decode(t, do(t, f.h, "POST", "/api/v1/alerts", `{"query": "x"}`), 401)
	decode(t, do(t, f.h, "GET", "/api/v1/alerts", "", "Authorization", "Bearer wrong"), 403)
	decode(t, do(t, f.h, "POST", "/api/v1/alerts", `{"query": "x"}`, "Authorization", "Bearer wrong"), 403)

	src := strconv.FormatInt(f.src.ID, 10)
	w := do(t, f.h, "POST", "/api/v1/alerts", `{"query": " التحالف ", "sources": [`+src+`], "entities": ["العراق"], "webhook": "https://hooks.example/k", "email": "Ali <ali@example.com>"}`, auth...)
	m := decode(t, w, 201)
	aid := strconv.Itoa(int(m["id"].(float64)))
	if m["query"] != "التحالف" || m["email"] != "ali@example.com" || m["webhook"] != "https://hooks.example/k" ||
		m["feed"] != "/feeds/alerts/"+aid+".xml" || w.Header().Get("Location") != "/api/v1/alerts/"+aid {
		t.Errorf("created %v", m)
	}
	m = decode(t, do(t, f.h, "GET", "/api/v1/alerts", "", auth...), 200)
	if al := list(t, m, "alerts"); len(al) != 1 || al[0]["sources"].([]any)[0].(float64) != float64(f.src.ID) {
		t.Errorf("list %v", m)
	}
	decode(t, do(t, f.h, "GET", "/api/v1/alerts/"+aid, "", auth...), 200)

	alertID, _ := strconv.ParseInt(aid, 10, 64)
	if _, err := f.st.RecordDelivery(context.Background(), alertID, f.ref.ID); err != nil {
		t.Fatal(err)
	}
	m = decode(t, do(t, f.h, "GET", "/api/v1/alerts/"+aid+"/articles", "", auth...), 200)
	if arts := list(t, m, "articles"); len(arts) != 1 || arts[0]["url"] != f.ref.URL {
		t.Errorf("delivered %v", m)
	}

	bad := map[string]string{
		`{"query": ""}`: "query",
		`{"query": "x", "webhook": "javascript:1"}`: "webhook",
		`{"query": "x", "email": "not-an-address"}`: "email",
		`{"query": "x", "sources": [999]}`:          "sources",
		`{"query": "x", "entities": [" "]}`:         "entities",
		`{"query": "x", "hook": "typo"}`:            "body",
	}
	for body, param := range bad {
		m := decode(t, do(t, f.h, "POST", "/api/v1/alerts", body, auth...), 400)
		if msg := m["error"].(map[string]any)["message"].(string); !strings.HasPrefix(msg, param+":") {
			t.Errorf("%s: %q, want it to name %s", body, msg, param)
		}
	}

	if w := do(t, f.h, "DELETE", "/api/v1/alerts/"+aid, "", auth...); w.Code != 204 {
		t.Errorf("delete: %d", w.Code)
	}
	decode(t, do(t, f.h, "GET", "/api/v1/alerts/"+aid, "", auth...), 404)
	decode(t, do(t, f.h, "DELETE", "/api/v1/alerts/"+aid, "", auth...), 404)
	// A query the searcher refuses is refused when the alert is saved.
	inv := newFixture(t, func(c *api.Config) {
		c.Search = failingSearcher{fmt.Errorf("search: unbalanced quote: %w", store.ErrInvalid)}
	})
	m = decode(t, do(t, inv.h, "POST", "/api/v1/alerts", `{"query": "\"x"}`, "Authorization", "Bearer secret"), 400)
	if msg := m["error"].(map[string]any)["message"].(string); !strings.HasPrefix(msg, "query: ") {
		t.Errorf("invalid query: %q", msg)
	}
}

// An article stored with a date JSON cannot hold (year 10,000, saved
// before dates were checked on the way in) is still listed and shown, its
// date unknown, rather than failing the response.
func TestUnencodableStoredDate(t *testing.T) {
	f := newFixture(t, nil)
	far := model.Article{URL: "https://far.example/a", SourceName: "بعيد", Title: "خبر من عام عشرة آلاف",
		Text: "نص الخبر.", Published: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), Modified: time.Date(10001, 1, 1, 0, 0, 0, 0, time.UTC)}
	save(t, f.st, &far)
	found := false
	for _, a := range list(t, decode(t, do(t, f.h, "GET", "/api/v1/articles?limit=50", ""), 200), "articles") {
		if a["url"] == far.URL {
			found = true
			if a["published"] != nil {
				t.Errorf("listed with published %v", a["published"])
			}
		}
	}
	if !found {
		t.Error("the article is not listed")
	}
	m := decode(t, do(t, f.h, "GET", "/api/v1/articles/"+id(far), ""), 200)
	if m["published"] != nil || m["modified"] != nil {
		t.Errorf("shown with published %v, modified %v", m["published"], m["modified"])
	}
}

// failingSearcher answers every search with err: the API's answers to a
// failing or refusing search service.
type failingSearcher struct{ err error }

func (s failingSearcher) Search(context.Context, search.Request) (search.Results, error) {
	return search.Results{}, s.err
}

func (s failingSearcher) Related(context.Context, model.Article, int) ([]model.ArticleRef, error) {
	return nil, s.err
}
