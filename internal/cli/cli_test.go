package cli

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"khabar/internal/store/sqlite"
)

// runCode runs khabar and returns its exit code, stdout and stderr.
func runCode(ctx context.Context, data, stdin string, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	full := append([]string{"--data", data, "--allow-private-networks"}, args...)
	code := Run(ctx, full, []string{"KHABAR_PER_HOST_DELAY=0s", "KHABAR_LOG_LEVEL=warn"}, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestImportReportsBadRecordsAndIsIdempotent(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	body := strings.Repeat("نص الخبر عن الاقتصاد السعودي والأسواق المالية في الرياض. ", 10)
	lines := []string{
		`{"url": "https://example.com/a1", "title": "خبر أول", "content": "` + body + `", "date_extracted": "2015-07-21 02:51:32", "source": "aawsat", "author": "الرياض: كاتب"}`,
		`{"url": "https://example.com/a2", "title": "خبر ثان", "text": "نص مختلف تماما عن الرياضة وكرة القدم", "published": "2015-07-22T10:00:00Z"}`,
		`{"title": "لا رابط له"}`,
		`{not json`,
		``,
		`{"url": "ftp://example.com/x", "title": "رابط غير صالح"}`,
		`{"url": "https://example.com/a3", "title": "خبر ثالث", "content": "نص ثالث", "date": "مارس 2, 2024"}`,
	}
	file := filepath.Join(t.TempDir(), "in.jsonl")
	os.WriteFile(file, []byte(strings.Join(lines, "\n")), 0o644)

	code, out, errOut := runCode(ctx, data, "", "import", file)
	if code != 0 {
		t.Fatalf("import: exit %d: %s %s", code, out, errOut)
	}
	if !strings.Contains(out, "imported 3 articles") || !strings.Contains(out, "3 bad records") {
		t.Errorf("import said %q", out)
	}
	for _, want := range []string{"in.jsonl:3: record has no url", "in.jsonl:4: invalid JSON", "in.jsonl:6: url:"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	// again: nothing new, nothing lost
	code, out, _ = runCode(ctx, data, "", "import", file)
	if code != 0 || !strings.Contains(out, "imported 0 articles (3 already stored") {
		t.Errorf("second import: %d %q", code, out)
	}
	// a zip of a JSON array, as SaudiNewsNet ships
	arr := `[
  {"source": "sabq", "url": "https://example.com/z1", "date_extracted": "2015-08-01 10:00:00", "title": "خبر من الأرشيف", "author": "", "content": "نص الخبر من الأرشيف"},
  {"source": "sabq", "url": 42, "title": "رابط من أرقام", "content": "نص"},
  {"source": "sabq", "url": "https://example.com/z2", "date_extracted": "2015-08-01 11:00:00", "title": "خبر آخر", "author": "", "content": "نص آخر"}
]`
	zpath := filepath.Join(t.TempDir(), "2015-08-01.zip")
	zf, _ := os.Create(zpath)
	zw := zip.NewWriter(zf)
	w, _ := zw.Create("2015-08-01.json")
	io.WriteString(w, arr)
	zw.Close()
	zf.Close()
	code, out, errOut = runCode(ctx, data, "", "import", zpath)
	if code != 0 || !strings.Contains(out, "imported 2 articles") || !strings.Contains(out, "1 bad records") {
		t.Fatalf("zip import: %d %q %s", code, out, errOut)
	}
	if !strings.Contains(errOut, "2015-08-01.json:3:") || !strings.Contains(errOut, "cannot unmarshal number") {
		t.Errorf("a record of the wrong type: stderr %q", errOut)
	}
	code, out, _ = runCode(ctx, data, "", "export", "--format", "jsonl")
	if code != 0 {
		t.Fatal(out)
	}
	got := strings.Split(strings.TrimSpace(out), "\n")
	if len(got) != 5 {
		t.Fatalf("export has %d lines, want 5", len(got))
	}
	var first map[string]any
	json.Unmarshal([]byte(got[0]), &first)
	if first["source"] != "aawsat" || !strings.HasPrefix(first["published"].(string), "2015-07-21T02:51:32") {
		t.Errorf("first article: %v", first)
	}
	if authors, _ := first["authors"].([]any); len(authors) != 1 {
		t.Errorf("authors: %v", first["authors"])
	}
}

func TestSourcesCommands(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	if code, _, errOut := runCode(ctx, data, "", "sources", "add", "not a url"); code == 0 || !strings.Contains(errOut, "not an http") {
		t.Errorf("bad URL accepted: %d %s", code, errOut)
	}
	if code, out, _ := runCode(ctx, data, "", "sources", "add", "https://example.com/feed.xml", "--title", "مثال"); code != 0 || !strings.Contains(out, "added source 1") {
		t.Fatalf("add: %d %s", code, out)
	}
	if code, _, errOut := runCode(ctx, data, "", "sources", "add", "https://example.com/feed.xml"); code == 0 || !strings.Contains(errOut, "already added") {
		t.Errorf("duplicate accepted: %d %s", code, errOut)
	}
	code, out, _ := runCode(ctx, data, "", "sources", "list", "--json")
	var list []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &list) != nil || len(list) != 1 {
		t.Fatalf("list: %d %s", code, out)
	}
	for _, k := range []string{"id", "url", "title", "last_error", "last_fetched", "next_fetch", "articles"} {
		if _, ok := list[0][k]; !ok {
			t.Errorf("list lacks %q: %v", k, list[0])
		}
	}
	// OPML round trip into a fresh store
	code, opml, _ := runCode(ctx, data, "", "sources", "export")
	if code != 0 || !strings.Contains(opml, "https://example.com/feed.xml") {
		t.Fatalf("export: %d %s", code, opml)
	}
	f := filepath.Join(t.TempDir(), "s.opml")
	os.WriteFile(f, []byte(opml), 0o644)
	data2 := t.TempDir()
	if code, out, errOut := runCode(ctx, data2, "", "sources", "import", f); code != 0 || !strings.Contains(out, "imported 1 sources") {
		t.Errorf("import: %d %s %s", code, out, errOut)
	}
	os.WriteFile(f, []byte("<opml><body><outline"), 0o644)
	if code, _, errOut := runCode(ctx, data2, "", "sources", "import", f); code == 0 || errOut == "" {
		t.Errorf("malformed OPML accepted: %d", code)
	}
	if code, _, _ := runCode(ctx, data, "", "sources", "remove", "1"); code != 0 {
		t.Errorf("remove failed")
	}
	if code, _, errOut := runCode(ctx, data, "", "sources", "remove", "1"); code == 0 || !strings.Contains(errOut, "no source with id 1") {
		t.Errorf("removing twice: %d %s", code, errOut)
	}
}

func TestTextCommands(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	code, out, _ := runCode(ctx, data, "الدولی\nإيران ٢٠٢٤\n\xff\xfe broken\n", "normalize")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if code != 0 || len(lines) != 3 || lines[0] != "الدولي" || lines[1] != "ايران 2024" {
		t.Errorf("normalize: %d %q", code, out)
	}
	long := strings.Repeat("كلام ", 2000)
	code, out, _ = runCode(ctx, data, "آخر تحديث: مارس 2, 2024\nلا تاريخ هنا\n"+long+"\nمنذ ساعتين\n",
		"dates", "--now", "2024-03-10T12:00:00Z", "--tz", "Asia/Riyadh")
	lines = strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if code != 0 || len(lines) != 4 || !strings.HasPrefix(lines[0], "2024-03-02T") || lines[1] != "-" || lines[2] != "-" {
		t.Errorf("dates: %d %q", code, out)
	}
	if len(lines) == 4 {
		if got, err := time.Parse(time.RFC3339, lines[3]); err != nil || !got.Equal(time.Date(2024, 3, 10, 10, 0, 0, 0, time.UTC)) {
			t.Errorf("منذ ساعتين = %q", lines[3])
		}
	}
	code, out, _ = runCode(ctx, data, "قال\nالرئيس\nالأمريكي\nجو\nبايدن\nفي\nواشنطن\n\noddline with columns\n\n", "entities", "--conll")
	inLines := 10
	if got := strings.Count(out, "\n"); code != 0 || got != inLines {
		t.Errorf("entities --conll: %d, %d lines for %d:\n%s", code, got, inLines, out)
	}
	if _, err := os.Stat(filepath.Join(data, "khabar.db")); err == nil {
		t.Errorf("text commands created a store")
	}
}

func TestAlertDeliveredOnceAcrossCrawls(t *testing.T) {
	ctx := context.Background()
	room := newsroom(t)
	var mu sync.Mutex
	var posts []map[string]any
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p map[string]any
		json.NewDecoder(r.Body).Decode(&p)
		mu.Lock()
		posts = append(posts, p)
		mu.Unlock()
	}))
	defer hook.Close()
	data := t.TempDir()
	if code, _, errOut := runCode(ctx, data, "", "alerts", "add", "--query", "", "--webhook", hook.URL); code == 0 {
		t.Errorf("empty query accepted")
	} else if !strings.Contains(errOut, "query is empty") {
		t.Errorf("empty query error: %s", errOut)
	}
	if code, out, errOut := runCode(ctx, data, "", "alerts", "add", "--query", "مكاري", "--webhook", hook.URL); code != 0 {
		t.Fatalf("alerts add: %s %s", out, errOut)
	}
	runCode(ctx, data, "", "sources", "add", room.URL+"/rss.xml")
	if code, out, errOut := runCode(ctx, data, "", "crawl"); code != 0 {
		t.Fatalf("crawl: %s %s", out, errOut)
	}
	// a second source links the same article again
	runCode(ctx, data, "", "sources", "add", room.URL+"/feed.json")
	if code, out, errOut := runCode(ctx, data, "", "crawl"); code != 0 {
		t.Fatalf("crawl: %s %s", out, errOut)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(posts) != 1 {
		t.Fatalf("webhook got %d posts, want 1: %v", len(posts), posts)
	}
	art, _ := posts[0]["article"].(map[string]any)
	if url, _ := art["url"].(string); !strings.HasSuffix(url, "/coalition.html") {
		t.Errorf("posted %v", art["url"])
	}
}

// TestImportStoresRelatedReading: an import ends with each imported
// article's related reading stored, so that pages show it on their first
// view; two articles of different stories a year apart sharing two
// organisations are each other's, the later marked as such.
func TestImportStoresRelatedReading(t *testing.T) {
	ctx := t.Context()
	data := t.TempDir()
	lines := []string{
		`{"url": "https://example.com/r1", "title": "المبعوث: مهمة التحالف الدولي ضد تنظيم داعش لم تنته", "content": "قال المبعوث الأمريكي إن مهمة التحالف الدولي لمحاربة تنظيم داعش لم تنته بعد في العراق.", "published": "2024-03-02T09:00:00Z", "source": "almustakillah"}`,
		`{"url": "https://example.com/r2", "title": "افتتاح معرض الكتاب في الرياض", "content": "افتتح معرض الكتاب أبوابه للزوار بمشاركة مئات دور النشر.", "published": "2024-06-01T09:00:00Z", "source": "alriyadh"}`,
		`{"url": "https://example.com/r3", "title": "غارة للتحالف الدولي على مواقع داعش شرق سوريا", "content": "أعلن التحالف الدولي مقتل قيادي في تنظيم داعش بغارة جوية شرق سوريا.", "published": "2025-03-05T09:00:00Z", "source": "arabi21"}`,
	}
	file := filepath.Join(t.TempDir(), "in.jsonl")
	os.WriteFile(file, []byte(strings.Join(lines, "\n")), 0o644)
	if code, out, errOut := runCode(ctx, data, "", "import", file); code != 0 || !strings.Contains(out, "imported 3 articles") {
		t.Fatalf("import: exit %d: %s %s", code, out, errOut)
	}
	st, err := sqlite.Open(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	id := func(u string) int64 {
		a, err := st.GetArticleByURL(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		return a.ID
	}
	r1, r2, r3 := id("https://example.com/r1"), id("https://example.com/r2"), id("https://example.com/r3")
	for _, c := range []struct {
		of, want int64
		later    bool
	}{{r1, r3, true}, {r3, r1, false}} {
		links, ok, err := st.GetRelated(ctx, c.of)
		if err != nil || !ok || len(links) != 1 || links[0].ID != c.want || links[0].Later != c.later {
			t.Errorf("related reading of %d = %+v %v %v, want %d (later %v)", c.of, links, ok, err, c.want, c.later)
		}
	}
	if links, ok, err := st.GetRelated(ctx, r2); err != nil || !ok || len(links) != 0 {
		t.Errorf("related reading of the unrelated article = %+v %v %v, want computed and empty", links, ok, err)
	}
}

// A KHABAR_ variable that names no setting (a container's own) no longer
// stops every command: it is reported once and the command runs.
func TestUnknownEnvWarns(t *testing.T) {
	var out, errb bytes.Buffer
	data := t.TempDir()
	code := Run(context.Background(), []string{"--data", data, "sources", "list"},
		[]string{"KHABAR_SOMETHING=1", "KHABAR_LOG_LEVEL=warn"}, strings.NewReader(""), &out, &errb)
	if code != 0 {
		t.Fatalf("sources list: exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "URL") {
		t.Errorf("sources list printed %q", out.String())
	}
	if n := strings.Count(errb.String(), "KHABAR_SOMETHING"); n != 1 {
		t.Errorf("want one warning naming KHABAR_SOMETHING, got %d:\n%s", n, errb.String())
	}
}
