package cli

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"khabar/internal/model"
)

// panicAt makes each stage of an article's analysis panic when the
// article's URL names it ("panic-analyse" and so on), for the rest of the
// test.
func panicAt(t *testing.T) {
	t.Helper()
	analysisFault = func(stage string, a *model.Article) {
		if strings.Contains(a.URL, "panic-"+stage) {
			panic(fmt.Sprintf("injected fault in %s", stage))
		}
	}
	t.Cleanup(func() { analysisFault = nil })
}

// TestImportIsolatesPanics imports records whose analysis panics at each
// stage: each is reported with its line, the others are stored, the
// import exits 0 and the log has the stack at error level.
func TestImportIsolatesPanics(t *testing.T) {
	panicAt(t)
	ctx := context.Background()
	data := t.TempDir()
	body := strings.Repeat("نص الخبر عن الاقتصاد السعودي والأسواق المالية في الرياض. ", 10)
	var lines []string
	for i, u := range []string{"ok-1", "panic-analyse", "ok-2", "panic-place", "ok-3", "panic-extract", "ok-4"} {
		lines = append(lines, fmt.Sprintf(`{"url": "https://example.com/%s", "title": "خبر %d", "content": "%s %d"}`, u, i, body, i))
	}
	file := filepath.Join(t.TempDir(), "in.jsonl")
	if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut lockedBuffer
	code := Run(ctx, []string{"--data", data, "import", file}, nil, strings.NewReader(""), &out, &errOut)
	if code != 0 {
		t.Fatalf("import exited %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "imported 4 articles") || !strings.Contains(out.String(), "3 bad records") {
		t.Errorf("import said %q", out.String())
	}
	for _, want := range []string{
		"in.jsonl:2: analysis failed: analyse https://example.com/panic-analyse: injected fault in analyse",
		"in.jsonl:4: analysis failed: place https://example.com/panic-place: injected fault in place",
		"in.jsonl:6: analysis failed: extract https://example.com/panic-extract: injected fault in extract",
	} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut.String())
		}
	}
	// the stack, at error level
	logged := regexp.MustCompile(`level=ERROR msg="article analysis failed" stage=analyse url=https://example.com/panic-analyse .*stack=".*goroutine`)
	if !logged.MatchString(errOut.String()) {
		t.Errorf("no error-level log with the stack:\n%s", errOut.String())
	}
	code, exported, _ := runCode(ctx, data, "", "export", "--format", "jsonl")
	if code != 0 {
		t.Fatal(exported)
	}
	for _, u := range []string{"ok-1", "ok-2", "ok-3", "ok-4"} {
		if !strings.Contains(exported, "https://example.com/"+u) {
			t.Errorf("%s not stored", u)
		}
	}
	if strings.Contains(exported, "panic-") {
		t.Errorf("an article whose analysis failed was stored")
	}
}

// TestServeCrawlIsolatesPanics runs `serve`, whose crawl meets items whose
// analysis panics at each stage: serve goes on, the other items are
// stored, the source names the failures, /metrics counts them and the log
// has their stacks at error level.
func TestServeCrawlIsolatesPanics(t *testing.T) {
	panicAt(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	page := strings.Repeat("<p>نص الخبر عن الاقتصاد والأسواق في الرياض وجدة والدمام ومكة المكرمة.</p>", 6)
	names := []string{"ok-1", "panic-extract", "panic-analyse", "ok-2", "panic-place", "panic-announce", "ok-3"}
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/feed.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>مصدر</title>`)
			for i, n := range names {
				fmt.Fprintf(w, `<item><title>خبر %d</title><link>%s/%s.html</link><description>ملخص %d</description></item>`, i, srv.URL, n, i)
			}
			fmt.Fprint(w, `</channel></rss>`)
		case strings.HasSuffix(r.URL.Path, ".html"):
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<html lang="ar"><head><title>%s</title></head><body><article><h1>خبر %s</h1>%s<p>%s</p></article></body></html>`, r.URL.Path, r.URL.Path, page, r.URL.Path)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	data := t.TempDir()
	run(t, ctx, data, "", "sources", "add", srv.URL+"/feed.xml")

	var out, errOut lockedBuffer
	sctx, stop := context.WithCancel(ctx)
	done := make(chan int, 1)
	go func() {
		done <- Run(sctx, []string{"--data", data, "--allow-private-networks", "serve", "--addr", "127.0.0.1:0"},
			[]string{"KHABAR_PER_HOST_DELAY=0s"}, strings.NewReader(""), &out, &errOut)
	}()
	var base string
	addrRe := regexp.MustCompile(`serving on (http://\S+)`)
	for base == "" && ctx.Err() == nil {
		if m := addrRe.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
		time.Sleep(20 * time.Millisecond)
	}
	// The round is over when the source has its state saved.
	var metrics string
	for ctx.Err() == nil {
		_, metrics = get(t, base+"/metrics")
		if strings.Contains(errOut.String(), "crawl round") {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	_, metrics = get(t, base+"/metrics")
	// serve is still up, and answers
	if code, _ := get(t, base+"/"); code != 200 {
		t.Errorf("home page: %d after the crawl", code)
	}
	stop()
	if code := <-done; code != 0 {
		t.Errorf("serve exited %d: %s", code, errOut.String())
	}
	if !strings.Contains(metrics, "khabar_article_failures_total 4") {
		t.Errorf("/metrics does not count 4 failed articles:\n%s", metrics)
	}
	for _, stage := range []string{"extract", "analyse", "place", "announce"} {
		re := regexp.MustCompile(`level=ERROR msg="article analysis failed" stage=` + stage + ` url=\S+panic-` + stage + `\S* .*stack=".*goroutine`)
		if !re.MatchString(errOut.String()) {
			t.Errorf("no error-level log with the stack for the %s stage", stage)
		}
	}

	srcs := listSources(t, ctx, data)
	s := srcs[srv.URL+"/feed.xml"]
	// announce fails after the save: that article is stored
	if s.Articles != 4 {
		t.Errorf("%d articles stored, want the 3 good ones and the one whose announcement failed", s.Articles)
	}
	for _, want := range []string{"3 of 7 items failed", "analysis failed: extract", "analysis failed: analyse", "analysis failed: place"} {
		if !strings.Contains(s.LastError, want) {
			t.Errorf("last_error %q does not say %q", s.LastError, want)
		}
	}
}
