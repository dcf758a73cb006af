package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// newsroom serves RSS, Atom and JSON feeds that link to real Arabic pages
// (and two synthetic ones shaped like the reference aggregator page).
func newsroom(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	var srv *httptest.Server
	page := func(name string) string { return srv.URL + "/news/" + name }
	mux.HandleFunc("GET /robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
	})
	mux.HandleFunc("GET /news/{name}", func(w http.ResponseWriter, r *http.Request) {
		name := filepath.Base(r.PathValue("name"))
		data, err := newsroomPage(name)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(data)
	})
	mux.HandleFunc("GET /rss.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>المستقلة</title><link>%s</link><language>ar</language>
<item><title>المبعوث الأمريكي: لا خطط لانسحاب قوات التحالف</title><link>%s</link><guid>coalition-1</guid>
<pubDate>Sat, 02 Mar 2024 10:00:00 +0300</pubDate><description>ملخص الخبر</description></item>
<item><title>معارضون يسيطرون على مخازن للصواريخ</title><link>%s</link><guid>cnn-1</guid>
<pubDate>Sat, 03 Aug 2013 12:00:00 GMT</pubDate></item>
</channel></rss>`, srv.URL, page("coalition.html"), page("cnn-syria.html"))
	})
	mux.HandleFunc("GET /atom.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>عربي اليوم</title><id>urn:x</id><updated>2024-03-05T10:00:00Z</updated>
<entry><title>محلل سياسي: هجوم تدمر</title><link href="%s"/><id>urn:syria</id><updated>2024-03-05T06:30:00Z</updated></entry>
<entry><title>الناشط الحقوقي السوداني</title><link href="%s"/><id>urn:assabah</id><updated>2019-01-10T06:30:00Z</updated></entry>
<entry><title>سكاي نيوز</title><link href="%s"/><id>urn:sky</id><updated>2025-05-07T06:30:00Z</updated></entry>
</feed>`, page("coalition-syria.html"), page("assabah.html"), page("skynews.html"))
	})
	mux.HandleFunc("GET /feed.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/feed+json")
		items := []map[string]string{
			{"id": "masry", "url": page("almasryalyoum.html"), "title": "النشرة الصباحية", "date_published": "2025-07-01T06:00:00+03:00"},
			{"id": "cnn-2", "url": page("cnn-clashes.html"), "title": "اشتباكات في سوريا", "date_published": "2013-08-03T13:00:00Z"},
			// the same article linked from two feeds is one article
			{"id": "coalition-again", "url": page("coalition.html"), "title": "المبعوث الأمريكي"},
		}
		json.NewEncoder(w).Encode(map[string]any{"version": "https://jsonfeed.org/version/1.1", "title": "أخبار JSON", "items": items})
	})
	mux.HandleFunc("GET /more.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>أخبار الاقتصاد</title><link>%s</link>`, srv.URL)
		for i, topic := range genTopics {
			fmt.Fprintf(w, `<item><title>%s</title><link>%s/gen/%d.html</link><guid>gen-%d</guid><pubDate>Mon, 04 Mar 2024 0%d:00:00 +0300</pubDate></item>`,
				topic, srv.URL, i, i, i)
		}
		fmt.Fprint(w, `</channel></rss>`)
	})
	mux.HandleFunc("GET /gen/{n}", func(w http.ResponseWriter, r *http.Request) {
		var n int
		if _, err := fmt.Sscanf(r.PathValue("n"), "%d.html", &n); err != nil || n < 0 || n >= len(genTopics) {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<html lang="ar" dir="rtl"><head><title>%s</title></head><body><article><h1>%s</h1>
<p>الرياض (واس) - %s، وفق ما أعلنته الجهات المختصة اليوم في بيان رسمي تناول تفاصيل القرار وأسبابه.</p>
<p>وأوضح البيان أن %s يأتي ضمن خطة أوسع تشمل عدة قطاعات، وأن التنفيذ يبدأ خلال الأسابيع المقبلة بالتنسيق مع الجهات ذات العلاقة.</p>
<p>وأشار المتحدث إلى أن النتائج الأولية ستعلن في تقرير مفصل قبل نهاية العام.</p></article></body></html>`,
			genTopics[n], genTopics[n], genTopics[n], genTopics[n])
	})
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// newsroomPage reads a newsroom page by name through testdata/newsroom/pages.tsv.
func newsroomPage(name string) ([]byte, error) {
	table, err := os.ReadFile(filepath.Join("testdata", "newsroom", "pages.tsv"))
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(string(table), "\n") {
		n, path, ok := strings.Cut(line, "\t")
		if ok && n == name && !strings.HasPrefix(line, "#") {
			return os.ReadFile(filepath.Join("..", filepath.FromSlash(path)))
		}
	}
	return nil, os.ErrNotExist
}

// newsroomFeeds are the newsroom's feeds, and wantArticles the articles
// they link to (the coalition page, linked twice, is one article).
var newsroomFeeds = []string{"/rss.xml", "/atom.xml", "/feed.json", "/more.xml"}

const wantArticles = 12

// genTopics are the headlines of the newsroom's generated economy pages.
var genTopics = []string{
	"ارتفاع صادرات التمور إلى الأسواق الآسيوية",
	"افتتاح محطة جديدة لتحلية المياه في الجبيل",
	"إطلاق برنامج لدعم المنشآت الصغيرة والمتوسطة",
	"توسعة مطار أبها الدولي لاستقبال رحلات إضافية",
	"تراجع أسعار الحديد في السوق المحلية",
}

// run runs khabar with args against data, failing the test on a non-zero exit.
func run(t *testing.T, ctx context.Context, data string, stdin string, args ...string) string {
	t.Helper()
	return runDB(t, ctx, data, "", stdin, args...)
}

// runDB is run with a PostgreSQL store when db is not empty.
func runDB(t *testing.T, ctx context.Context, data, db, stdin string, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	full := append([]string{"--data", data, "--allow-private-networks"}, args...)
	env := []string{"KHABAR_PER_HOST_DELAY=0s", "KHABAR_LOG_LEVEL=warn"}
	if db != "" {
		env = append(env, "KHABAR_DATABASE_URL="+db)
	}
	code := Run(ctx, full, env, strings.NewReader(stdin), &out, &errb)
	if code != 0 {
		t.Fatalf("khabar %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out.String(), errb.String())
	}
	return out.String()
}

// lockedBuffer is a bytes.Buffer safe for a server goroutine and the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// jsonLD matches a page's structured data, the one kind of script element
// a page may carry: a data block browsers never run. encoding/json
// escapes "<", so a block's text cannot hold "</script>".
var jsonLD = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)

// withoutData returns page without its JSON-LD blocks, failing t when one
// is not valid JSON; what remains is what a browser shows or runs.
func withoutData(t *testing.T, page string) string {
	t.Helper()
	for _, m := range jsonLD.FindAllStringSubmatch(page, -1) {
		if !json.Valid([]byte(m[1])) {
			t.Errorf("JSON-LD is not JSON: %s", m[1])
		}
	}
	return jsonLD.ReplaceAllString(page, "")
}

func TestEndToEnd(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testEndToEnd(t, "") })
	t.Run("postgres", func(t *testing.T) { testEndToEnd(t, postgresURL(t)) })
}

// testEndToEnd crawls a loopback newsroom into the store named by db
// (SQLite in the data folder when empty) and checks what readers see.
func testEndToEnd(t *testing.T, db string) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	room := newsroom(t)
	data := t.TempDir()

	for _, f := range newsroomFeeds {
		runDB(t, ctx, data, db, "", "sources", "add", room.URL+f)
	}
	out := runDB(t, ctx, data, db, "", "crawl")
	if !strings.Contains(out, fmt.Sprintf("crawled %d sources", len(newsroomFeeds))) {
		t.Fatalf("crawl said %q", out)
	}

	var srcs []sourceJSON
	if err := json.Unmarshal([]byte(runDB(t, ctx, data, db, "", "sources", "list", "--json")), &srcs); err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, s := range srcs {
		if s.LastError != "" {
			t.Errorf("source %s: last_error %q", s.URL, s.LastError)
		}
		if s.LastFetched == nil || s.NextFetch == nil {
			t.Errorf("source %s: last_fetched/next_fetch not set", s.URL)
		}
		total += s.Articles
	}
	if total != wantArticles {
		t.Errorf("sources hold %d articles, want %d (the coalition page linked twice is one)", total, wantArticles)
	}

	// serve on a free port
	var serveOut lockedBuffer
	serveCtx, stopServe := context.WithCancel(ctx)
	done := make(chan int)
	go func() {
		done <- Run(serveCtx, []string{"--data", data, "serve", "--no-crawl", "--addr", "127.0.0.1:0"},
			append([]string{"KHABAR_LOG_LEVEL=warn", "KHABAR_ADMIN_TOKEN=secret"}, dbEnv(db)...), strings.NewReader(""), &serveOut, io.Discard)
	}()
	defer func() {
		stopServe()
		if code := <-done; code != 0 {
			t.Errorf("serve exited %d", code)
		}
	}()
	addrRe := regexp.MustCompile(`serving on (http://\S+)`)
	var base string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := addrRe.FindStringSubmatch(serveOut.String()); m != nil {
			base = m[1]
			break
		}
	}
	if base == "" {
		t.Fatalf("serve did not start: %s", serveOut.String())
	}
	if code, _ := get(t, base+"/healthz"); code != 200 {
		t.Fatalf("/healthz: %d", code)
	}

	// the API lists every article; find the coalition one
	code, body := get(t, base+"/api/v1/articles?limit=50")
	if code != 200 {
		t.Fatalf("/api/v1/articles: %d %s", code, body)
	}
	var list struct {
		Articles []struct {
			ID    int64  `json:"id"`
			URL   string `json:"url"`
			Title string `json:"title"`
		} `json:"articles"`
		Total int `json:"total"`
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil {
		t.Fatal(err)
	}
	if list.Total != wantArticles {
		t.Errorf("API total %d, want %d", list.Total, wantArticles)
	}
	var coalition, syria, cnn1, cnn2 int64
	for _, a := range list.Articles {
		switch {
		case strings.HasSuffix(a.URL, "/coalition.html"):
			coalition = a.ID
		case strings.HasSuffix(a.URL, "/coalition-syria.html"):
			syria = a.ID
		case strings.HasSuffix(a.URL, "/cnn-syria.html"):
			cnn1 = a.ID
		case strings.HasSuffix(a.URL, "/cnn-clashes.html"):
			cnn2 = a.ID
		}
	}
	if coalition == 0 || syria == 0 || cnn1 == 0 || cnn2 == 0 {
		t.Fatalf("articles missing from the API list: %+v", list.Articles)
	}

	// the article page shows every section
	code, page := get(t, fmt.Sprintf("%s/articles/%d", base, coalition))
	if code != 200 {
		t.Fatalf("article page: %d", code)
	}
	for _, want := range []string{
		`dir="rtl"`, `lang="ar"`,
		"المبعوث الأمريكي: لا خطط لانسحاب قوات التحالف الدولي من العراق",
		"تاريخ النشر", "آخر تحديث", "المصدر", "وكالة الصحافة المستقلة",
		"كلمات دلالية", "التحالف الدولي", "اقرأ أيضاً",
		"مباحثات ثنائية مع العراق",
		"/articles/" + fmt.Sprint(syria), // related reading offers the other coalition story
	} {
		if !strings.Contains(page, want) {
			t.Errorf("article page lacks %q", want)
		}
	}
	for _, unwanted := range []string{"الأكثر قراءة", "كعك العيد", "ملفات تعريف الارتباط", "الدولی", "<script"} {
		if strings.Contains(withoutData(t, page), unwanted) {
			t.Errorf("article page shows %q", unwanted)
		}
	}
	if strings.Contains(page, fmt.Sprintf("/articles/%d\"", cnn1)) {
		t.Errorf("related reading offers unrelated news (the 2013 CNN article)")
	}

	// the article's JSON: dates, agency, keywords, entities
	code, body = get(t, fmt.Sprintf("%s/api/v1/articles/%d", base, coalition))
	if t.Failed() {
		t.Logf("article JSON: %s", body)
	}
	if code != 200 {
		t.Fatalf("article JSON: %d", code)
	}
	var art struct {
		Published string   `json:"published"`
		Modified  string   `json:"modified"`
		Agency    string   `json:"agency"`
		Keywords  []string `json:"keywords"`
		Entities  []struct {
			Name string `json:"name"`
			Type string `json:"type"`
		} `json:"entities"`
		Related []struct {
			ID int64 `json:"id"`
		} `json:"related"`
	}
	if err := json.Unmarshal([]byte(body), &art); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(art.Published, "2024-03-02") {
		t.Errorf("published %q, want 2024-03-02", art.Published)
	}
	if !strings.HasPrefix(art.Modified, "2024-03-03") {
		t.Errorf("modified %q, want 2024-03-03", art.Modified)
	}
	if !strings.Contains(art.Agency, "المستقلة") {
		t.Errorf("agency %q", art.Agency)
	}
	if len(art.Keywords) < 3 {
		t.Errorf("keywords %v: want at least 3", art.Keywords)
	}

	// the two CNN pages are one text: a duplicate in one story
	var a1, a2 struct {
		DuplicateOf *int64 `json:"duplicate_of"`
		Story       *struct {
			ID int64 `json:"id"`
		} `json:"story"`
	}
	_, b1 := get(t, fmt.Sprintf("%s/api/v1/articles/%d", base, cnn1))
	_, b2 := get(t, fmt.Sprintf("%s/api/v1/articles/%d", base, cnn2))
	json.Unmarshal([]byte(b1), &a1)
	json.Unmarshal([]byte(b2), &a2)
	if a1.Story == nil || a2.Story == nil || a1.Story.ID != a2.Story.ID {
		t.Errorf("the two copies of the CNN article are not in one story: %s / %s", b1, b2)
	}
	if (a1.DuplicateOf == nil) == (a2.DuplicateOf == nil) {
		t.Errorf("exactly one of the CNN copies should be a duplicate of the other")
	}

	// search finds it, whatever the spelling, through the page, the API and the CLI
	for _, q := range []string{"التحالف", "للتحالف الدولی", `"قوات التحالف"`, "مكاري"} {
		code, body = get(t, base+"/api/v1/search?q="+urlQuery(q))
		if code != 200 || !strings.Contains(body, fmt.Sprintf(`"id":%d`, coalition)) {
			t.Errorf("API search %q does not find the article: %d %s", q, code, body)
		}
	}
	code, page = get(t, base+"/search?q="+urlQuery("مكاري"))
	if code != 200 || !strings.Contains(page, "<mark>") {
		t.Errorf("search page: %d, highlighted: %v", code, strings.Contains(page, "<mark>"))
	}
	out = runDB(t, ctx, data, db, "", "search", "--json", "--limit", "5", "بغداد")
	if !strings.Contains(out, fmt.Sprintf(`"id": %d`, coalition)) {
		t.Errorf("khabar search does not find the article: %s", out)
	}

	// the sources page lists the three feeds
	code, page = get(t, base+"/sources")
	if code != 200 || !strings.Contains(page, room.URL+"/atom.xml") {
		t.Errorf("sources page: %d", code)
	}

	// feeds out, the search feed, OpenAPI and metrics
	code, body = get(t, base+"/feeds/latest.xml")
	if code != 200 || strings.Count(body, "<item>") < 10 {
		t.Errorf("/feeds/latest.xml: %d with %d items, want at least 10", code, strings.Count(body, "<item>"))
	}
	if err := xml.Unmarshal([]byte(body), new(struct{})); err != nil {
		t.Errorf("/feeds/latest.xml is not XML: %v", err)
	}
	code, body = get(t, base+"/feeds/search.xml?q="+urlQuery("مكاري"))
	if code != 200 || !strings.Contains(body, "coalition.html") || strings.Contains(body, "assabah.html") {
		t.Errorf("search feed: %d %.300s", code, body)
	}
	code, body = get(t, base+"/api/openapi.json")
	var oapi struct {
		OpenAPI string         `json:"openapi"`
		Paths   map[string]any `json:"paths"`
	}
	if code != 200 || json.Unmarshal([]byte(body), &oapi) != nil || !strings.HasPrefix(oapi.OpenAPI, "3.1") || len(oapi.Paths) < 5 {
		t.Errorf("/api/openapi.json: %d %q %d paths", code, oapi.OpenAPI, len(oapi.Paths))
	}
	code, body = get(t, base+"/metrics")
	for _, m := range []string{"khabar_articles ", "khabar_http_requests_total", "khabar_http_request_duration_seconds_bucket"} {
		if code != 200 || !strings.Contains(body, m) {
			t.Errorf("/metrics lacks %s", m)
		}
	}

	// the OPML export re-imports into a fresh store with the same sources
	opml := runDB(t, ctx, data, db, "", "sources", "export")
	opmlFile := filepath.Join(t.TempDir(), "sources.opml")
	os.WriteFile(opmlFile, []byte(opml), 0o644)
	fresh := t.TempDir()
	run(t, ctx, fresh, "", "sources", "import", opmlFile)
	var again []sourceJSON
	json.Unmarshal([]byte(run(t, ctx, fresh, "", "sources", "list", "--json")), &again)
	if len(again) != len(newsroomFeeds) {
		t.Errorf("OPML round trip: %d sources, want %d", len(again), len(newsroomFeeds))
	}

	// export carries every article with its story
	lines := strings.Split(strings.TrimSpace(runDB(t, ctx, data, db, "", "export", "--format", "jsonl")), "\n")
	if len(lines) != wantArticles {
		t.Errorf("export gave %d lines, want %d", len(lines), wantArticles)
	}
	for _, l := range lines {
		var e map[string]any
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatalf("export line %q: %v", l, err)
		}
		for _, k := range []string{"id", "url", "title", "text", "published", "source", "keywords", "duplicate_of", "story"} {
			if _, ok := e[k]; !ok {
				t.Errorf("export line lacks %q", k)
			}
		}
	}

	// a second crawl finds nothing new and keeps everything
	runDB(t, ctx, data, db, "", "crawl")
	_, body = get(t, base+"/api/v1/articles?limit=1")
	if !strings.Contains(body, fmt.Sprintf(`"total":%d`, wantArticles)) {
		t.Errorf("after a second crawl: %s", body)
	}
}

func urlQuery(s string) string {
	r := strings.NewReplacer(" ", "+", `"`, "%22")
	return r.Replace(s)
}

func dbEnv(db string) []string {
	if db == "" {
		return nil
	}
	return []string{"KHABAR_DATABASE_URL=" + db}
}

// postgresURL returns a URL to a fresh, empty schema of the test database
// named by KHABAR_TEST_DATABASE_URL, or skips — except under CI=true,
// where the database must be there (.ci/run starts it).
func postgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv("KHABAR_TEST_DATABASE_URL")
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("KHABAR_TEST_DATABASE_URL is not set, and CI=true: .ci/run should have started PostgreSQL")
		}
		t.Skip("KHABAR_TEST_DATABASE_URL is not set: no PostgreSQL to test against (run .ci/postgres.sh)")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to %s: %v", base, err)
	}
	defer conn.Close(ctx)
	schema := fmt.Sprintf("e2e_%d", time.Now().UnixNano())
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err == nil {
			c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			c.Close(context.Background())
		}
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema
}
