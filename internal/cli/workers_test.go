package cli

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"khabar/internal/model"
	"khabar/internal/store/postgres"
	"khabar/internal/store/sqlite"
)

// feedFarm serves n one-item RSS feeds and their pages, each answer after
// latency, and counts the requests to each path.
type feedFarm struct {
	srv   *httptest.Server
	mu    sync.Mutex
	count map[string]int
}

func newFeedFarm(t testing.TB, n int, latency time.Duration) *feedFarm {
	f := &feedFarm{count: map[string]int{}}
	page := strings.Repeat("<p>نص الخبر عن الاقتصاد والأسواق في الرياض وجدة والدمام ومكة المكرمة. </p>", 8)
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.count[r.URL.Path]++
		f.mu.Unlock()
		time.Sleep(latency)
		var id int
		switch {
		case r.URL.Path == "/robots.txt":
			fmt.Fprint(w, "User-agent: *\nAllow: /\n")
		case sscan(r.URL.Path, "/feed/%d.xml", &id):
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>مصدر %d</title>
<item><title>خبر رقم %d</title><link>%s/page/%d.html</link><guid>g%d</guid><pubDate>Mon, 02 Mar 2024 10:00:00 +0300</pubDate></item>
</channel></rss>`, id, id, f.srv.URL, id, id)
		case sscan(r.URL.Path, "/page/%d.html", &id):
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<html lang="ar" dir="rtl"><head><title>خبر رقم %d</title></head><body><article><h1>خبر رقم %d في المملكة</h1>%s<p>الخبر رقم %d.</p></article></body></html>`, id, id, page, id)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func sscan(s, format string, id *int) bool {
	n, err := fmt.Sscanf(s, format, id)
	return err == nil && n == 1
}

// crawlTogether adds n farm feeds to the store named by db and runs workers
// `khabar crawl` at once, returning the time they took.
func crawlTogether(t testing.TB, ctx context.Context, db string, f *feedFarm, n, workers int) time.Duration {
	setup := t.TempDir()
	var opml strings.Builder
	opml.WriteString(`<?xml version="1.0"?><opml version="2.0"><head><title>farm</title></head><body>`)
	for i := range n {
		fmt.Fprintf(&opml, `<outline type="rss" text="f%d" xmlUrl="%s/feed/%d.xml"/>`, i, f.srv.URL, i)
	}
	opml.WriteString(`</body></opml>`)
	file := filepath.Join(setup, "farm.opml")
	if err := os.WriteFile(file, []byte(opml.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := runCode2(ctx, setup, db, "sources", "import", file); code != 0 {
		t.Fatalf("sources import: %s %s", out, errOut)
	}
	start := time.Now()
	var wg sync.WaitGroup
	var failed atomic.Int32
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// each worker has its own data folder, as on its own machine
			code, out, errOut := runCode2(ctx, t.TempDir(), db, "crawl")
			if code != 0 {
				failed.Add(1)
				t.Errorf("crawl: %s", errOut)
			}
			t.Logf("%s", strings.TrimSpace(out))
		}()
	}
	wg.Wait()
	return time.Since(start)
}

func runCode2(ctx context.Context, data, db string, args ...string) (int, string, string) {
	var out, errb strings.Builder
	full := append([]string{"--data", data, "--allow-private-networks"}, args...)
	env := []string{"KHABAR_PER_HOST_DELAY=0s", "KHABAR_LOG_LEVEL=error", "KHABAR_DATABASE_URL=" + db}
	code := Run(ctx, full, env, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// TestTwoCrawlersShareTheWork starts two crawls together against one
// PostgreSQL store and 40 sources: each feed is fetched once, each article
// stored once.
func TestTwoCrawlersShareTheWork(t *testing.T) {
	db := postgresURL(t)
	ctx := context.Background()
	f := newFeedFarm(t, 40, 5*time.Millisecond)
	crawlTogether(t, ctx, db, f, 40, 2)
	for i := range 40 {
		if c := f.count[fmt.Sprintf("/feed/%d.xml", i)]; c != 1 {
			t.Errorf("feed %d fetched %d times", i, c)
		}
	}
	code, out, _ := runCode2(ctx, t.TempDir(), db, "export", "--format", "jsonl")
	if code != 0 {
		t.Fatal(out)
	}
	urls := map[string]int{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		i := strings.Index(l, `"url":"`)
		if i < 0 {
			continue
		}
		u := l[i+7:]
		urls[u[:strings.Index(u, `"`)]]++
	}
	if len(urls) != 40 {
		t.Errorf("%d articles stored, want 40", len(urls))
	}
	for u, c := range urls {
		if c != 1 {
			t.Errorf("%s stored %d times", u, c)
		}
	}
}

// BenchmarkCrawlWorkers measures sources crawled per minute by one and by
// two workers sharing a PostgreSQL store, each request answered after 50 ms
// of simulated network latency:
//
//	KHABAR_TEST_DATABASE_URL=$(sh .ci/postgres.sh) go test -run '^$' -bench CrawlWorkers -benchtime 1x ./internal/cli
func BenchmarkCrawlWorkers(b *testing.B) {
	ctx := context.Background()
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			for b.Loop() {
				db := postgresURL(b)
				f := newFeedFarm(b, 40, 50*time.Millisecond)
				el := crawlTogether(b, ctx, db, f, 40, workers)
				b.ReportMetric(40/el.Minutes(), "sources/min")
			}
		})
	}
}

// TestMigrateStore copies a SQLite store into PostgreSQL, twice, and reads
// it back through --db.
func TestMigrateStore(t *testing.T) {
	db := postgresURL(t)
	ctx := context.Background()
	data := t.TempDir()
	corpus := syntheticCorpus(t, 60)
	if code, out, errOut := runCode(ctx, data, "", "import", corpus); code != 0 {
		t.Fatalf("import: %s %s", out, errOut)
	}
	if code, out, errOut := runCode(ctx, data, "", "sources", "add", "https://example.com/feed.xml"); code != 0 {
		t.Fatalf("sources add: %s %s", out, errOut)
	}
	for range 2 {
		code, out, errOut := runCode(ctx, data, "", "migrate-store", "--to", db)
		if code != 0 || !strings.Contains(out, "60 articles") {
			t.Fatalf("migrate-store: %d %s %s", code, out, errOut)
		}
	}
	// The related reading the import computed is copied, list for list.
	src, err := sqlite.Open(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := postgres.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	lists, links := 0, 0
	if err := src.EachArticle(ctx, func(a *model.Article) error {
		want, wok, err := src.GetRelated(ctx, a.ID)
		if err != nil {
			return err
		}
		got, gok, err := dst.GetRelated(ctx, a.ID)
		if err != nil {
			return err
		}
		if gok != wok || !slices.Equal(got, want) {
			t.Errorf("related of %d in PostgreSQL: %v %+v, want %v %+v", a.ID, gok, got, wok, want)
		}
		if wok {
			lists++
			links += len(want)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if lists != 60 || links == 0 {
		t.Errorf("the import stored %d related lists with %d links in all, want 60 lists and some links", lists, links)
	}
	code, out, _ := runCode2(ctx, t.TempDir(), db, "export", "--format", "jsonl")
	if n := strings.Count(out, "\n"); code != 0 || n != 60 {
		t.Errorf("export from PostgreSQL: %d lines", n)
	}
	code, out, _ = runCode2(ctx, t.TempDir(), db, "sources", "list", "--json")
	if code != 0 || !strings.Contains(out, "https://example.com/feed.xml") {
		t.Errorf("sources in PostgreSQL: %s", out)
	}
	code, out, _ = runCode2(ctx, t.TempDir(), db, "search", "--json", "الرياض")
	if code != 0 || !strings.Contains(out, `"total"`) || strings.Contains(out, `"total": 0`) {
		t.Errorf("search in PostgreSQL: %.300s", out)
	}
}
