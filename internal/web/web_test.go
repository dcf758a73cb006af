package web

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"khabar/internal/alerts"
	"khabar/internal/analysis"
	"khabar/internal/entities"
	"khabar/internal/model"
	"khabar/internal/search"
	"khabar/internal/store"
	"khabar/internal/store/sqlite/sqlitetest"
)

var testNow = time.Date(2024, 3, 3, 12, 0, 0, 0, time.UTC)

const hostile = `<script>alert("x")</script><img src=x onerror=alert(1)>`

// fixture is a small newsroom: the reference article, its copy from
// another outlet (same story), a related story on the coalition, an
// article with a hostile title, and two sources, one failing.
type fixture struct {
	st                            store.Store
	ref, copyOf, related, hostile model.Article
	okSrc, badSrc                 model.Source
}

// openStore returns a fresh SQLite store in a temporary folder of t.
func openStore(t testing.TB) store.Store {
	t.Helper()
	return sqlitetest.Open(t)
}

// analyzer is the analysis the page tests' search runs with, as serve
// wires it: built once, it is read-only.
var analyzer = sync.OnceValue(func() *analysis.Analyzer {
	return analysis.New(analysis.Options{Names: entities.BuiltinNames()})
})

// searcher is the search service over st.
func searcher(st store.Store) *search.Service { return search.New(st, analyzer()) }

// save stores a with the index forms the pipeline gives it, so that
// search and related reading find it.
func save(t testing.TB, st store.Store, a *model.Article) {
	t.Helper()
	if _, err := st.SaveArticle(context.Background(), a, search.IndexText(analyzer(), a.Title, a.Text)); err != nil {
		t.Fatal(err)
	}
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{st: openStore(t)}
	f.okSrc = model.Source{URL: "https://almustakillah.example/feed", Title: "المستقلة", SiteURL: "https://almustakillah.example",
		LastFetched: testNow.Add(-time.Hour), NextFetch: testNow.Add(time.Hour)}
	f.badSrc = model.Source{URL: "https://broken.example/rss", Title: "موقع معطل", LastFetched: testNow.Add(-time.Hour),
		LastError: "fetch: status 503 Service Unavailable", NextFetch: testNow.Add(2 * time.Hour), ErrorCount: 3}
	for _, s := range []*model.Source{&f.okSrc, &f.badSrc} {
		if err := f.st.AddSource(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	f.ref = model.Article{
		URL: "https://almustakillah.example/2024/03/coalition", SourceID: f.okSrc.ID, SourceName: f.okSrc.Title,
		Title:     "المبعوث الامريكي للتحالف الدولي: لا توجد حاليا خطط لانسحاب قوات التحالف الدولي من العراق",
		Text:      "المستقلة/- قال المبعوث الامريكي للتحالف الدولي ألن مكاري ان مهمة التحالف الدولي لم تنته بعد.\n\nواضاف مكاري في مقابلة مع قناة الحرة ان مهمة التحالف لم تنته.",
		Published: time.Date(2024, 3, 2, 9, 30, 0, 0, time.UTC), Modified: time.Date(2024, 3, 2, 14, 5, 0, 0, time.UTC),
		Language: "ar", Agency: "وكالة الصحافة المستقلة", Authors: []string{"محرر الشؤون العراقية"},
		Keywords: []string{"التحالف الدولي", "قوات التحالف", "a/b?c#d"},
		Entities: []model.Entity{{Name: "ألن مكاري", Type: "PERS", Mentions: []string{"مكاري", "ألن مكاري"}},
			{Name: "العراق", Type: "LOC", Mentions: []string{"العراق"}}, {Name: "قناة الحرة", Type: "ORG", Mentions: []string{"قناة الحرة"}}},
	}
	save(t, f.st, &f.ref)
	f.copyOf = model.Article{URL: "https://other.example/copy", SourceName: "موقع آخر", Title: "لا خطط لانسحاب التحالف من العراق",
		Text: "قال المبعوث الامريكي للتحالف الدولي ان مهمة التحالف لم تنته.", Published: f.ref.Published.Add(time.Hour),
		StoryID: f.ref.StoryID, DuplicateOf: f.ref.ID, Language: "ar", Keywords: []string{"التحالف الدولي"}}
	f.related = model.Article{URL: "https://arabi.example/tadmur", SourceName: "عربي", Title: "وزير سوري سابق: هل تتأثر العلاقة مع أمريكا بعد هجوم تدمر؟",
		Text: "وصف وزير الإسكان السوري السابق ما حدث في منطقة تدمر في مقابلة مع قناة الحرة عن سوريا وعن العراق.", Published: time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC),
		Language: "ar", Keywords: []string{"التحالف الدولي"}, Entities: []model.Entity{{Name: "العراق", Type: "LOC", Mentions: []string{"العراق"}}}}
	f.hostile = model.Article{URL: "https://evil.example/x", SourceName: hostile, Title: hostile + " عنوان",
		Text: hostile, Published: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC), Keywords: []string{hostile}}
	for _, a := range []*model.Article{&f.copyOf, &f.related, &f.hostile} {
		save(t, f.st, a)
	}
	return f
}

func (f *fixture) server(t testing.TB, mod func(*Config)) *Server {
	t.Helper()
	// A generous wait for related reading: these tests check what pages
	// show, not how long a loaded machine takes to search.
	cfg := Config{Store: f.st, Search: searcher(f.st), Now: func() time.Time { return testNow }, RelatedWait: 10 * time.Second}
	if mod != nil {
		mod(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func get(t testing.TB, h http.Handler, target string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest("GET", target, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// checkPage checks what every HTML page must be.
func checkPage(t *testing.T, w *httptest.ResponseRecorder, status int) string {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d; body:\n%s", w.Code, status, w.Body)
	}
	body := w.Body.String()
	if ct := w.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	for _, want := range []string{`<html lang="ar" dir="rtl">`, "<header", "<nav", "<main", "<footer", `<meta name="viewport"`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	checkScripts(t, body)
	if strings.Contains(body, "<img src=x") {
		t.Errorf("page has an unescaped hostile tag")
	}
	if len(body) > 50<<10 {
		t.Errorf("page is %d bytes, want < 50 KB", len(body))
	}
	if !strings.Contains(w.Header().Get("Content-Security-Policy"), "default-src 'none'") {
		t.Errorf("no CSP")
	}
	return body
}

func mustContain(t *testing.T, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}

func TestArticlePage(t *testing.T) {
	f := newFixture(t)
	s := f.server(t, nil)
	body := checkPage(t, get(t, s, "/articles/"+itoa(f.ref.ID)), 200)
	mustHave(t, body,
		el("title", "المبعوث الامريكي للتحالف الدولي"),
		el("h1", "المبعوث الامريكي", "dir", "auto"),
		el("time", "٢ مارس ٢٠٢٤، ٠٩:٣٠ GMT", "datetime", "2024-03-02T09:30:00Z"),
		el("a", "المستقلة", "href", "https://almustakillah.example/2024/03/coalition", "rel", "noopener nofollow", "dir", "auto"),
		el("a", "", "href", "/tags/%D8%A7%D9%84%D8%AA%D8%AD%D8%A7%D9%84%D9%81%20%D8%A7%D9%84%D8%AF%D9%88%D9%84%D9%8A"),
		el("a", "", "href", "/tags/a%2Fb%3Fc%23d"), // a tag with URL syntax stays one path segment
		el("a", "ألن مكاري", "href", "/entities/%D8%A3%D9%84%D9%86%20%D9%85%D9%83%D8%A7%D8%B1%D9%8A", "dir", "auto"),
		el("a", "", "href", "/stories/"+itoa(f.ref.StoryID)),
		el("p", "المستقلة/- قال المبعوث", "dir", "auto"),
		el("p", "واضاف مكاري", "dir", "auto"),
		el("article", "", "class", "article", "lang", "ar"),
		el("section", "وزير سوري سابق", "class", "related"),
	)
	mustHaveTerm(t, body, "نقلاً عن:", "وكالة الصحافة المستقلة", "dir", "auto")
	mustContain(t, body,
		"تاريخ النشر", "(٢١ شعبان ١٤٤٥هـ)", "آخر تحديث", "٢ مارس ٢٠٢٤، ١٤:٠٥", "المصدر", "كلمات دلالية",
		"أشخاص", "أماكن",
		"اقرأ أيضاً", "عربي", "١ مارس ٢٠٢٤", "وصف وزير الإسكان",
		"تغطيات أخرى للخبر", "لا خطط لانسحاب التحالف من العراق",
	)
	// Related reading never offers a copy of the article itself.
	for _, rel := range findAll(parsePage(t, body), el("section", "", "class", "related")) {
		if len(findAll(rel, el("a", "", "href", "/articles/"+itoa(f.copyOf.ID)))) > 0 {
			t.Errorf("related reading offers the article's own copy")
		}
	}

	// Pages revalidate with their ETag.
	w := get(t, s, "/articles/"+itoa(f.ref.ID))
	if w2 := get(t, s, "/articles/"+itoa(f.ref.ID), "If-None-Match", w.Header().Get("ETag")); w2.Code != 304 || w2.Body.Len() != 0 {
		t.Errorf("page revalidation: %d", w2.Code)
	}

	// The copy names its original.
	body = checkPage(t, get(t, s, "/articles/"+itoa(f.copyOf.ID)), 200)
	mustContain(t, body, "هذا المقال نسخة من", "/articles/"+itoa(f.ref.ID))
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestArticlePageWesternDigitsAndEnglish(t *testing.T) {
	f := newFixture(t)
	s := f.server(t, func(c *Config) { c.Digits = DigitsLatn; c.Location = time.FixedZone("+03", 3*3600) })
	body := checkPage(t, get(t, s, "/articles/"+itoa(f.ref.ID)), 200)
	mustContain(t, body, "2 مارس 2024، 12:30 &#43;03") // html/template writes + as &#43;

	s = f.server(t, nil)
	w := get(t, s, "/articles/"+itoa(f.ref.ID)+"?lang=en")
	body = w.Body.String()
	mustHave(t, body, el("html", "", "lang", "en", "dir", "ltr"), el("article", "", "lang", "ar"))
	mustContain(t, body, "Published", "2 March 2024, 09:30", "Tags", "Read also")
	// The cookie set by /settings persists the choice.
	w = get(t, s, "/settings?lang=en&next=/sources")
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/sources" {
		t.Fatalf("settings: %d %q", w.Code, w.Header().Get("Location"))
	}
	cookie := w.Header().Get("Set-Cookie")
	if !strings.HasPrefix(cookie, "lang=en") {
		t.Fatalf("settings cookie %q", cookie)
	}
	body = get(t, s, "/", "Cookie", "lang=en").Body.String()
	mustHave(t, body, el("html", "Latest news", "lang", "en", "dir", "ltr"))
	// An open redirect is refused.
	if loc := get(t, s, "/settings?digits=latn&next=//evil.example").Header().Get("Location"); loc != "/" {
		t.Errorf("settings redirected to %q", loc)
	}
}

func TestHostileContentIsEscaped(t *testing.T) {
	f := newFixture(t)
	s := f.server(t, nil)
	for _, path := range []string{"/articles/" + itoa(f.hostile.ID), "/", "/search?q=" + url.QueryEscape("عنوان"),
		"/tags/" + url.PathEscape(hostile), "/search?q=" + url.QueryEscape(hostile)} {
		t.Run(path, func(t *testing.T) {
			w := get(t, s, path)
			body := checkPage(t, w, 200)
			if !strings.Contains(body, "&lt;script&gt;") && !strings.Contains(path, "search?q=%3C") {
				t.Errorf("hostile text not shown escaped")
			}
		})
	}
}

func TestHomeGroupsByStory(t *testing.T) {
	f := newFixture(t)
	s := f.server(t, nil)
	body := checkPage(t, get(t, s, "/"), 200)
	mustContain(t, body, "أبرز القصص", "آخر الأخبار", "عدد المصادر: ٢", "عدد التغطيات: ٢", "أول تقرير", "آخر تقرير",
		`href="/stories/`+itoa(f.ref.StoryID)+`"`, `rel="alternate" type="application/rss+xml" href="/feeds/latest.xml"`)
	latest := body[strings.Index(body, `id="latest-h"`):]
	// One line per story: the copy (newest) stands for the story, not both.
	if strings.Contains(latest, `"/articles/`+itoa(f.ref.ID)+`"`) {
		t.Errorf("latest list shows two versions of one story")
	}
	mustContain(t, latest, `"/articles/`+itoa(f.copyOf.ID)+`"`, "تغطيات أخرى للخبر (١)")
}

func TestSearchPage(t *testing.T) {
	f := newFixture(t)
	s := f.server(t, nil)
	body := checkPage(t, get(t, s, "/search"), 200)
	mustHave(t, body, el("label", "", "for", "q-page"), el("input", "", "id", "q-page"))
	mustContain(t, body, "اكتب كلمة أو أكثر")
	body = checkPage(t, get(t, s, "/search?q="+url.QueryEscape("التحالف")), 200)
	mustHave(t, body, el("mark", "التحالف"), el("input", "", "id", "q-page", "value", "التحالف"))
	mustContain(t, body, "عدد النتائج: ٢", "/feeds/search.xml?q=")
	body = checkPage(t, get(t, s, "/search?q="+url.QueryEscape("لا-يوجد-أبداً")), 200)
	mustContain(t, body, "لا توجد نتائج")

	body = checkPage(t, get(t, s, "/search?q="+strings.Repeat("ب", 501)), 400)
	mustContain(t, body, "طويلة جداً")
	inv := f.server(t, func(c *Config) {
		c.Search = failingSearcher{fmt.Errorf("search: unbalanced quote: %w", store.ErrInvalid)}
	})
	body = checkPage(t, get(t, inv, "/search?q=%22x"), 400)
	mustHave(t, body, el("p", "تعذر فهم عبارة البحث (search: unbalanced quote", "class", "error", "role", "alert"))

	// A search failure is a 500 page, not a half page.
	broken := f.server(t, func(c *Config) { c.Search = failingSearcher{errors.New("index gone")} })
	body = checkPage(t, get(t, broken, "/search?q=x"), 500)
	mustContain(t, body, "حدث خطأ")
	// ... and the article page still renders without related reading.
	body = checkPage(t, get(t, broken, "/articles/"+itoa(f.ref.ID)), 200)
	if strings.Contains(body, "اقرأ أيضاً") {
		t.Errorf("related section rendered without results")
	}
}

func TestSearchPagination(t *testing.T) {
	st := openStore(t)
	for i := range 45 {
		a := model.Article{URL: "https://x.example/" + strconv.Itoa(i), Title: "خبر رقم", Text: "نص الخبر", SourceName: "س",
			Published: testNow.Add(-time.Duration(i) * time.Hour)}
		save(t, st, &a)
	}
	s, err := New(Config{Store: st, Search: searcher(st), Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	body := checkPage(t, get(t, s, "/search?q="+url.QueryEscape("خبر")+"&page=2"), 200)
	mustContain(t, body, "عدد النتائج: ٤٥", "صفحة ٢ / ٣", `rel="prev"`, `rel="next"`, "page=3")
	body = checkPage(t, get(t, s, "/?page=2"), 200)
	mustContain(t, body, "صفحة ٢ / ٢", `rel="prev"`)
	checkPage(t, get(t, s, "/?page=9"), 404)
}

func TestSourcesPage(t *testing.T) {
	f := newFixture(t)
	s := f.server(t, nil)
	body := checkPage(t, get(t, s, "/sources"), 200)
	mustHave(t, body, el("a", "", "href", "/sources", "aria-current", "page"),
		el("a", "", "href", "https://almustakillah.example/feed"), el("a", "almustakillah.example"),
		el("tr", "fetch: status 503 Service Unavailable", "class", "failing"),
		el("code", "fetch: status 503 Service Unavailable", "dir", "auto"), el("th", "الحالة", "scope", "col"))
	mustContain(t, body, "المستقلة", "آخر جلب", "الجلب التالي", "المقالات", "مصادر متعطلة: ١", "✗ متعطل", "✓ يعمل")
	body = checkPage(t, get(t, s, "/sources/"+itoa(f.okSrc.ID)), 200)
	mustContain(t, body, "المبعوث الامريكي", "/feeds/sources/"+itoa(f.okSrc.ID)+".xml")
	checkPage(t, get(t, s, "/sources/999"), 404)
}

func TestTagEntityStoryPages(t *testing.T) {
	f := newFixture(t)
	s := f.server(t, nil)
	body := checkPage(t, get(t, s, "/tags/"+url.PathEscape("التحالف الدولي")), 200)
	mustHave(t, body, el("h1", "التحالف الدولي", "dir", "auto"))
	mustContain(t, body, "كلمة دلالية", "المقالات: ٣", "وزير سوري سابق")
	body = checkPage(t, get(t, s, "/tags/a%2Fb%3Fc%23d"), 200)
	mustContain(t, body, "a/b?c#d")
	body = checkPage(t, get(t, s, "/tags/"+url.PathEscape("لا يوجد")), 404)
	mustContain(t, body, "لا توجد مقالات")

	body = checkPage(t, get(t, s, "/entities/"+url.PathEscape("العراق")), 200)
	mustContain(t, body, "أماكن", "يُذكر أيضاً باسم", "يَرِد مع", "ألن مكاري", "المقالات: ٢")
	// Newest first.
	if strings.Index(body, "المبعوث الامريكي") > strings.Index(body, "وزير سوري سابق") {
		t.Errorf("entity articles not newest first")
	}
	checkPage(t, get(t, s, "/entities/"+url.PathEscape("لا أحد")), 404)

	body = checkPage(t, get(t, s, "/stories/"+itoa(f.ref.StoryID)), 200)
	mustHaveTerm(t, body, "عدد المصادر:", "٢")
	mustContain(t, body, "أول تقرير", "آخر تقرير", "المستقلة", "موقع آخر")
	if strings.Index(body, "المبعوث الامريكي") > strings.Index(body, "لا خطط لانسحاب") {
		t.Errorf("story versions not earliest first")
	}
}

func TestNotFound(t *testing.T) {
	f := newFixture(t)
	s := f.server(t, nil)
	for _, p := range []string{"/articles/999", "/articles/abc", "/articles/-1", "/stories/999", "/nothing/here", "/static/old.css"} {
		body := checkPage(t, get(t, s, p), 404)
		mustContain(t, body, "الصفحة غير موجودة")
	}
}

func TestHealthzAndStatic(t *testing.T) {
	f := newFixture(t)
	ready := false
	s := f.server(t, func(c *Config) { c.Ready = func() bool { return ready } })
	if w := get(t, s, "/healthz"); w.Code != 503 {
		t.Errorf("healthz before ready: %d", w.Code)
	}
	ready = true
	if w := get(t, s, "/healthz"); w.Code != 200 || w.Body.String() != "ok\n" {
		t.Errorf("healthz: %d %q", w.Code, w.Body)
	}
	w := get(t, s, s.cssPath)
	if w.Code != 200 || !strings.Contains(w.Header().Get("Cache-Control"), "immutable") || w.Header().Get("Content-Type") != "text/css; charset=utf-8" {
		t.Fatalf("css: %d %v", w.Code, w.Header())
	}
	css := w.Body.String()
	for _, bad := range []string{"margin-left", "margin-right", "padding-left", "padding-right", "text-align: left", "text-align: right", " left:", " right:"} {
		if strings.Contains(css, bad) {
			t.Errorf("css uses physical property %q", bad)
		}
	}
	mustContain(t, css, "prefers-color-scheme: dark", "margin-inline")
	if w := get(t, s, s.cssPath, "If-None-Match", w.Header().Get("ETag")); w.Code != 304 {
		t.Errorf("css revalidation: %d", w.Code)
	}
}

func TestEveryTemplateExecutes(t *testing.T) {
	// Each page template, empty and with every optional part filled, in
	// both languages: a missing field or string fails here.
	f := newFixture(t)
	s := f.server(t, nil)
	r := httptest.NewRequest("GET", "/", nil)
	day := testNow.Add(-time.Hour)
	ref := model.ArticleRef{ID: 1, Title: "t", Source: "s", Published: day, Excerpt: "e"}
	item := Item{ID: 1, Title: "t", Source: "s", Published: day, Excerpt: "e", Language: "ar", Versions: 2, StoryID: 3}
	pager := Pager{Page: 2, Pages: 3, Prev: "/?page=1", Next: "/?page=3"}
	story := model.Story{ID: 3, Title: "t", FirstSeen: day, LastSeen: day, Articles: 2, Outlets: 2, Members: []model.ArticleRef{ref, ref}}
	trend := Trend{Term: "x", Count: 2, Spark: sparkline([]int{1, 2}, 16)}
	full := f.ref
	full.Image = "https://img.example/a.jpg"
	pages := map[string][]pageData{
		"home": {&homePage{}, &homePage{Stories: []StoryItem{{Story: story, Others: []model.ArticleRef{ref}}}, Items: []Item{item},
			Pager: pager, Tags: []Trend{trend}, Entities: []Trend{trend}}},
		"article": {&articlePage{}, &articlePage{Article: full, Paragraphs: []template.HTML{"p"}, Groups: groupEntities(full.Entities, stringsAR),
			Related: []model.ArticleRef{ref}, Story: &story, Others: []model.ArticleRef{ref}, Original: &ref,
			State: &ReaderState{ID: 1, Starred: true, CSRF: "c", T: stringsAR}}},
		"search": {&searchPage{}, &searchPage{Results: []search.Result{{ID: 1, Title: "t", Snippet: "<mark>x</mark>", Published: day}},
			Total: 1, Shown: 1, Pager: pager, QS: "q=x&source=1", Follow: &FollowButton{Kind: model.FollowSearch, Term: "q", T: stringsAR}, Filters: FilterForm{From: "2024-01-01", To: "2024-02-01", TZ: "Asia/Riyadh",
				Source: "1", Country: "SA", Kind: "wire", Tag: "t", Entity: "e", Sources: []option{{"1", "s"}, {"okaz", "عكاظ"}},
				Countries: []option{{"SA", "SA"}}, Kinds: []option{{"wire", "w"}}, Encoded: "source=1", Set: true}},
			&searchPage{Error: "bad"}},
		"sources": {&sourcesPage{}, &sourcesPage{Sources: []model.Source{{ID: 1, URL: "https://a.example/f", LastError: "e", LastFetched: day, NextFetch: day},
			{ID: 2, URL: "https://b.example/f", LastFetched: day}, {ID: 3, URL: "https://c.example/f"}},
			Activity: map[int64]Activity{1: {Days: []int{1}, Total: 1, Spark: sparkline([]int{1}, 16)}}, Failing: 1,
			Notice: &Notice{Message: "m", Details: []string{"d"}}}},
		"list": {&listPage{}, &listPage{Heading: "h", Kind: "k", TypeName: "t", Items: []Item{item}, Total: 1, Pager: pager,
			Source: &model.Source{URL: "https://a.example/f", SiteURL: "https://a.example", LastError: "e", LastFetched: day},
			Entity: &store.EntityInfo{Name: "n", Aliases: []string{"a", "b"}, Related: []store.TermCount{{Term: "r", Count: 1}}},
			Follow: &FollowButton{Kind: model.FollowSource, SourceID: 1, On: true, T: stringsAR}}},
		"my": {&myPage{}, &myPage{Groups: []StoryGroup{{StoryID: 3, Items: []Item{item, item}}}, Unread: 2,
			Follows: []model.Follow{{Kind: model.FollowSource, SourceID: 1, Title: "s"}, {Kind: model.FollowTag, Term: "t"}, {Kind: model.FollowName, Term: "n"},
				{Kind: model.FollowSearch, AlertID: 2, Title: "q"}}}},
		"story": {&storyPage{}, &storyPage{Story: story, Members: story.Members, Pager: pager}},
		"alerts": {&alertsPage{}, &alertsPage{Form: alerts.Input{Query: "q", Webhook: "https://h.example", Email: "a@b.example"},
			Created: &model.Alert{ID: 1, Query: "q"}, Removed: &model.Alert{ID: 2, Query: "r"}, Error: "e",
			Saved: []model.Alert{{ID: 1, Query: "q", Webhook: "https://h.example", Email: "a@b.example"}}}},
		"explore": {&explorePage{}, &explorePage{Queries: []string{"a", ""}, Interval: "week", Error: "e"},
			explorePageFilled()},
		"alert": {&explorePage{Alert: &model.Alert{ID: 1, Query: "q"}}, &explorePage{Alert: &model.Alert{ID: 1, Query: "q", Webhook: "https://h.example", Email: "a@b.example"}, Error: "e"},
			func() *explorePage { p := explorePageFilled(); p.Alert = &model.Alert{ID: 1, Query: "q"}; return p }()},
		"login":    {&loginPage{}, &loginPage{Next: "/sources", Error: "e"}},
		"denied":   {&deniedPage{Message: "m"}},
		"notfound": {&errorPage{}},
		"error":    {&errorPage{}},
	}
	if len(pages) != len(s.pages) {
		t.Fatalf("templates %d, test covers %d", len(s.pages), len(pages))
	}
	for name, ps := range pages {
		for i, p := range ps {
			for _, lang := range []*Strings{stringsAR, stringsEN} {
				*p.base() = s.newBase(r, "")
				p.base().T = lang
				if i > 0 {
					// The filled variant also shows what a logged-in admin sees.
					p.base().CanLogin, p.base().Admin, p.base().CSRF = true, true, "c"
				}
				p.base().setFeeds("/feeds/latest.xml")
				var sb strings.Builder
				if err := s.pages[name].Execute(&sb, p); err != nil {
					t.Errorf("%s #%d (%s): %v", name, i, lang.Lang, err)
				}
			}
		}
	}
}

func TestStringsComplete(t *testing.T) {
	// Every interface string exists in both languages.
	for _, tab := range []*Strings{stringsAR, stringsEN} {
		b, _ := json.Marshal(tab)
		var m map[string]any
		json.Unmarshal(b, &m)
		for k, v := range m {
			if s, ok := v.(string); ok && s == "" {
				t.Errorf("%s: %s is empty", tab.Lang, k)
			}
		}
	}
}

func TestFormatDate(t *testing.T) {
	d := time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC)
	dt := time.Date(2024, 12, 31, 23, 59, 0, 0, time.UTC)
	riyadh := time.FixedZone("AST", 3*3600)
	cases := []struct {
		t        time.Time
		s        *Strings
		digits   string
		loc      *time.Location
		withTime bool
		want     string
	}{
		{d, stringsAR, DigitsArab, nil, true, "٢ مارس ٢٠٢٤"}, // midnight: a date known only to the day
		{d, stringsAR, DigitsLatn, nil, false, "2 مارس 2024"},
		{dt, stringsAR, DigitsArab, nil, true, "٣١ ديسمبر ٢٠٢٤، ٢٣:٥٩"},
		{dt, stringsAR, DigitsArab, riyadh, true, "١ يناير ٢٠٢٥، ٠٢:٥٩"},
		{dt, stringsEN, DigitsLatn, nil, true, "31 December 2024, 23:59"},
		{time.Time{}, stringsAR, DigitsArab, nil, true, ""},
	}
	hcases := []struct {
		t      time.Time
		digits string
		loc    *time.Location
		want   string
	}{
		{d, DigitsArab, nil, "٢١ شعبان ١٤٤٥هـ"},
		{time.Date(2024, 3, 11, 12, 0, 0, 0, time.UTC), DigitsLatn, nil, "1 رمضان 1445هـ"},
		{time.Date(2024, 3, 10, 22, 0, 0, 0, time.UTC), DigitsLatn, riyadh, "1 رمضان 1445هـ"}, // already the 11th in Riyadh
		// The table of package dates reaches back to 1882 (go-hijri's stopped at 1937).
		{time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), DigitsLatn, nil, "29 شعبان 1317هـ"},
		{time.Time{}, DigitsLatn, nil, ""},
	}
	for _, c := range hcases {
		if got := FormatHijri(c.t, c.digits, c.loc); got != c.want {
			t.Errorf("FormatHijri(%v) = %q, want %q", c.t, got, c.want)
		}
	}
	for _, c := range cases {
		if got := FormatDate(c.t, c.s, c.digits, c.loc, c.withTime); got != c.want {
			t.Errorf("FormatDate(%v) = %q, want %q", c.t, got, c.want)
		}
	}
}

func TestSafeSnippet(t *testing.T) {
	cases := map[string]string{
		"قوات <mark>التحالف</mark> الدولي":             "قوات <mark>التحالف</mark> الدولي",
		`<script>x</script><mark onclick="y">a</mark>`: "x<mark>a</mark>",
		"a &amp; b &lt;i&gt;":                          "a &amp; b &lt;i&gt;",
		"<mark>unclosed":                               "<mark>unclosed</mark>",
		"</mark>stray":                                 "stray",
	}
	for in, want := range cases {
		if got := string(safeSnippet(in)); got != want {
			t.Errorf("safeSnippet(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	st := openStore(t)
	for _, cfg := range []Config{
		{Search: searcher(st)},
		{Store: st},
		{Store: st, Search: searcher(st), Digits: "roman"},
		{Store: st, Search: searcher(st), BaseURL: "ftp://x"},
	} {
		if _, err := New(cfg); err == nil || !strings.HasPrefix(err.Error(), "web: ") {
			t.Errorf("New(%+v) = %v, want a web: error", cfg, err)
		}
	}
}

// ---- feeds ----

func TestFeeds(t *testing.T) {
	f := newFixture(t)
	s := f.server(t, func(c *Config) { c.BaseURL = "https://khabar.example" })
	type rss struct {
		Channel struct {
			Title string `xml:"title"`
			Items []struct {
				Title   string `xml:"title"`
				Link    string `xml:"link"`
				GUID    string `xml:"guid"`
				PubDate string `xml:"pubDate"`
			} `xml:"item"`
		} `xml:"channel"`
	}
	type atom struct {
		XMLName xml.Name
		Lang    string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
		Title   string `xml:"title"`
		Entries []struct {
			ID    string `xml:"id"`
			Title string `xml:"title"`
		} `xml:"entry"`
	}
	parseRSS := func(path string) rss {
		t.Helper()
		w := get(t, s, path)
		if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/rss+xml") {
			t.Fatalf("%s: %d %s", path, w.Code, w.Header().Get("Content-Type"))
		}
		var doc rss
		if err := xml.Unmarshal(w.Body.Bytes(), &doc); err != nil {
			t.Fatalf("%s: not well-formed: %v\n%s", path, err, w.Body)
		}
		wellFormed(t, w.Body.Bytes())
		return doc
	}
	doc := parseRSS("/feeds/latest.xml")
	if len(doc.Channel.Items) != 4 {
		t.Fatalf("latest: %d items", len(doc.Channel.Items))
	}
	var refItem bool
	for _, it := range doc.Channel.Items {
		if it.Link == f.ref.URL {
			refItem = true
			if it.GUID != "https://khabar.example/articles/"+itoa(f.ref.ID) {
				t.Errorf("guid %q", it.GUID)
			}
			if it.PubDate != "Sat, 02 Mar 2024 09:30:00 +0000" {
				t.Errorf("pubDate %q", it.PubDate)
			}
		}
		if strings.HasPrefix(it.Title, "<script>") && it.Title != hostile+" عنوان" {
			t.Errorf("hostile title mangled: %q", it.Title)
		}
	}
	if !refItem {
		t.Errorf("latest feed lacks the reference article")
	}
	if got := parseRSS("/feeds/tags/" + url.PathEscape("التحالف الدولي") + ".xml"); len(got.Channel.Items) != 3 {
		t.Errorf("tag feed: %d items", len(got.Channel.Items))
	}
	if got := parseRSS("/feeds/tags/" + url.PathEscape("لا وجود له") + ".xml"); len(got.Channel.Items) != 0 {
		t.Errorf("unknown tag feed: %d items", len(got.Channel.Items))
	}
	if got := parseRSS("/feeds/sources/" + itoa(f.okSrc.ID) + ".xml"); len(got.Channel.Items) != 1 {
		t.Errorf("source feed: %d items", len(got.Channel.Items))
	}
	if got := parseRSS("/feeds/search.xml?q=" + url.QueryEscape("تدمر")); len(got.Channel.Items) != 1 || got.Channel.Items[0].Link != f.related.URL {
		t.Errorf("search feed: %+v", got.Channel.Items)
	}
	if got := parseRSS("/feeds/search.xml"); len(got.Channel.Items) != 0 {
		t.Errorf("empty search feed: %d items", len(got.Channel.Items))
	}
	if got := parseRSS("/feeds/entities/" + url.PathEscape("العراق") + ".xml"); len(got.Channel.Items) != 2 {
		t.Errorf("entity feed: %d items", len(got.Channel.Items))
	}
	if got := parseRSS("/feeds/stories/" + itoa(f.ref.StoryID) + ".xml"); len(got.Channel.Items) != 2 {
		t.Errorf("story feed: %d items", len(got.Channel.Items))
	}

	w := get(t, s, "/feeds/latest.atom")
	var a atom
	if err := xml.Unmarshal(w.Body.Bytes(), &a); err != nil || len(a.Entries) != 4 {
		t.Fatalf("atom: %v, %d entries\n%s", err, len(a.Entries), w.Body)
	}
	wellFormed(t, w.Body.Bytes())
	if a.XMLName != (xml.Name{Space: "http://www.w3.org/2005/Atom", Local: "feed"}) || a.Lang != "ar" {
		t.Errorf("atom root %v, xml:lang %q; want an Atom feed in Arabic", a.XMLName, a.Lang)
	}

	w = get(t, s, "/feeds/latest.json")
	var jf struct {
		Version string `json:"version"`
		Items   []struct {
			ID, URL, ExternalURL, Title string
			DatePublished               string `json:"date_published"`
		} `json:"items"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &jf); err != nil || jf.Version != "https://jsonfeed.org/version/1.1" || len(jf.Items) != 4 {
		t.Fatalf("json feed: %v %+v", err, jf)
	}
	if w := get(t, s, "/feeds/tags/x.json"); !strings.Contains(w.Body.String(), `"items": []`) && !strings.Contains(w.Body.String(), `"items":[]`) {
		t.Errorf("empty json feed has no items list: %s", w.Body)
	}

	for _, p := range []string{"/feeds/latest.html", "/feeds/other.xml", "/feeds/sources/abc.xml", "/feeds/sources/999.xml", "/feeds/stories/999.atom"} {
		if w := get(t, s, p); w.Code != 404 {
			t.Errorf("%s: %d, want 404", p, w.Code)
		}
	}
	al := model.Alert{Query: "التحالف"}
	if err := f.st.AddAlert(context.Background(), &al); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.RecordDelivery(context.Background(), al.ID, f.related.ID); err != nil {
		t.Fatal(err)
	}
	if got := parseRSS("/feeds/alerts/" + itoa(al.ID) + ".xml"); len(got.Channel.Items) != 1 || got.Channel.Items[0].Link != f.related.URL {
		t.Errorf("alert feed: %+v", got.Channel.Items)
	}
	if w := get(t, s, "/feeds/alerts/999.xml"); w.Code != 404 {
		t.Errorf("unknown alert feed: %d", w.Code)
	}
	// Conditional GET.
	w = get(t, s, "/feeds/latest.xml")
	if w2 := get(t, s, "/feeds/latest.xml", "If-None-Match", w.Header().Get("ETag")); w2.Code != 304 {
		t.Errorf("feed revalidation: %d", w2.Code)
	}
}

// wellFormed walks every token: encoding/xml's Unmarshal skips what the
// target struct does not name.
func wellFormed(t *testing.T, b []byte) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(string(b)))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed: %v", err)
		}
	}
}

func TestOpenSearch(t *testing.T) {
	f := newFixture(t)
	s := f.server(t, nil)
	w := get(t, s, "/opensearch.xml")
	wellFormed(t, w.Body.Bytes())
	mustContain(t, w.Body.String(), "http://example.com/search?q={searchTerms}")
}

// TestArticleBodyIsEscaped: markup in an article's text reaches the page as
// text, however hostile, now that the body is escaped before the template.
func TestArticleBodyIsEscaped(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	src := model.Source{URL: "https://hostile.example/feed", Title: "مصدر"}
	if err := st.AddSource(ctx, &src); err != nil {
		t.Fatal(err)
	}
	a := &model.Article{URL: "https://hostile.example/1", SourceID: src.ID, SourceName: src.Title, Title: "عنوان <i>مائل</i>",
		Text:      "فقرة أولى <script>alert(1)</script> & \"اقتباس\" 'مفرد'\n\n</p><img src=x onerror=alert(2)><p>\n\nنهاية +1 \x00",
		Published: testNow, Fetched: testNow, Language: "ar"}
	save(t, st, a)
	s, err := New(Config{Store: st, Search: searcher(st), Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	body := checkPage(t, get(t, s, "/articles/"+itoa(a.ID)), 200)
	mustContain(t, body,
		`<p dir="auto">فقرة أولى &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;اقتباس&#34; &#39;مفرد&#39;</p>`,
		`<p dir="auto">&lt;/p&gt;&lt;img src=x onerror=alert(2)&gt;&lt;p&gt;</p>`,
		`<p dir="auto">نهاية &#43;1 `+"\uFFFD"+`</p>`,
		`عنوان &lt;i&gt;مائل&lt;/i&gt;`)
	for _, bad := range []string{"<script>", "<img", "<i>"} {
		if strings.Contains(body, bad) {
			t.Errorf("page has %q from the article's text", bad)
		}
	}
}

// failingSearcher answers every search with err: the pages' answers to a
// failing or refusing search service.
type failingSearcher struct{ err error }

func (s failingSearcher) Search(context.Context, search.Request) (search.Results, error) {
	return search.Results{}, s.err
}

func (s failingSearcher) Related(context.Context, model.Article, int) ([]model.ArticleRef, error) {
	return nil, s.err
}
