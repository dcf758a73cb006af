package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// A date khabar cannot store and show (year 10,000, before 1900, years
// ahead) is dropped from the article with a warning, the article kept, so
// that export and the API can always give back what the store holds.
func TestFarDatesDropped(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	data := t.TempDir()
	body := "نص الخبر عن الاقتصاد والأسواق المالية في الرياض وجدة والدمام. "
	lines := []string{
		// 253402300800 s is 10000-01-01T00:00:00Z; ms 253402300800000 too
		`{"url": "https://example.com/far1", "title": "خبر من المستقبل البعيد", "text": "` + strings.Repeat(body, 3) + `", "published": 253402300800}`,
		`{"url": "https://example.com/far2", "title": "خبر آخر بعيد", "text": "` + strings.Repeat("نص مختلف عن الرياضة وكرة القدم والملاعب. ", 3) + `", "date": 253402300800000}`,
		`{"url": "https://example.com/old", "title": "خبر قديم جدا", "text": "` + strings.Repeat("نص عن التاريخ والآثار والمتاحف القديمة. ", 3) + `", "published": "1850-05-01T00:00:00Z", "date": "2024-03-01"}`,
		`{"url": "https://example.com/ahead", "title": "خبر بعد أعوام", "text": "` + strings.Repeat("نص عن الطقس والأمطار والرياح في الشمال. ", 3) + `", "published": "9999-12-31T00:00:00Z"}`,
		`{"url": "https://example.com/fine", "title": "خبر عادي", "text": "` + strings.Repeat("نص عن التعليم والمدارس والجامعات الجديدة. ", 3) + `", "published": "2024-03-02T10:00:00Z"}`,
	}
	file := filepath.Join(t.TempDir(), "far.jsonl")
	os.WriteFile(file, []byte(strings.Join(lines, "\n")), 0o644)
	code, out, errOut := runCode(ctx, data, "", "import", file)
	if code != 0 || !strings.Contains(out, "imported 5 articles") {
		t.Fatalf("import: exit %d: %s\n%s", code, out, errOut)
	}
	for _, want := range []string{"far.jsonl:1", "far.jsonl:2", "far.jsonl:4", "10000-01-01", "9999-12-31"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("the import's warnings lack %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(errOut, "far.jsonl:3") || strings.Contains(errOut, "far.jsonl:5") {
		t.Errorf("a record with a usable date was warned about:\n%s", errOut)
	}

	// export gives everything back
	code, out, errOut = runCode(ctx, data, "", "export")
	if code != 0 {
		t.Fatalf("export: exit %d: %s", code, errOut)
	}
	published := map[string]*time.Time{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var e exportJSON
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("export line %q: %v", line, err)
		}
		published[e.URL] = e.Published
	}
	if len(published) != 5 {
		t.Fatalf("export gave %d articles, want 5", len(published))
	}
	for _, u := range []string{"far1", "far2", "ahead"} {
		if p := published["https://example.com/"+u]; p != nil {
			t.Errorf("%s: published %v, want it dropped", u, p)
		}
	}
	if p := published["https://example.com/old"]; p == nil || !p.Equal(time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("old: published %v, want the record's next date field, 2024-03-01", p)
	}
	if p := published["https://example.com/fine"]; p == nil || p.Year() != 2024 {
		t.Errorf("fine: published %v", p)
	}

	// and so does the API, for the list and every article
	var serveOut, serveErr lockedBuffer
	serveCtx, stopServe := context.WithCancel(ctx)
	done := make(chan int)
	go func() {
		done <- Run(serveCtx, []string{"--data", data, "serve", "--no-crawl", "--addr", "127.0.0.1:0"},
			[]string{"KHABAR_LOG_LEVEL=warn", "KHABAR_ADMIN_TOKEN=secret"}, strings.NewReader(""), &serveOut, &serveErr)
	}()
	defer func() {
		stopServe()
		if code := <-done; code != 0 {
			t.Errorf("serve exited %d", code)
		}
	}()
	addrRe := regexp.MustCompile(`serving on (http://\S+)`)
	var base string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := addrRe.FindStringSubmatch(serveOut.String()); m != nil {
			base = m[1]
			break
		}
	}
	if base == "" {
		t.Fatalf("serve did not start: %s", serveOut.String())
	}
	code, body2 := get(t, base+"/api/v1/articles?limit=50")
	if code != 200 {
		t.Fatalf("/api/v1/articles: %d %s", code, body2)
	}
	var list struct {
		Articles []struct {
			ID  int64  `json:"id"`
			URL string `json:"url"`
		} `json:"articles"`
	}
	if err := json.Unmarshal([]byte(body2), &list); err != nil || len(list.Articles) != 5 {
		t.Fatalf("/api/v1/articles: %v, %d articles: %s", err, len(list.Articles), body2)
	}
	for _, a := range list.Articles {
		if code, b := get(t, fmt.Sprintf("%s/api/v1/articles/%d", base, a.ID)); code != 200 {
			t.Errorf("/api/v1/articles/%d (%s): %d %s", a.ID, a.URL, code, b)
		}
		if code, _ := get(t, fmt.Sprintf("%s/articles/%d", base, a.ID)); code != 200 {
			t.Errorf("/articles/%d (%s): %d", a.ID, a.URL, code)
		}
	}
	if code, b := get(t, base+"/api/v1/stories"); code != 200 {
		t.Errorf("/api/v1/stories: %d %s", code, b)
	}
	if strings.Contains(serveErr.String(), "level=ERROR") {
		t.Errorf("serve logged errors:\n%s", serveErr.String())
	}
}
