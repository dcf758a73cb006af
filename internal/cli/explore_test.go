package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSearchFiltersAndCSV: khabar search narrows by outlet key and dates,
// and --csv --all prints exactly the total's rows; bad filters are usage
// errors naming the flag.
func TestSearchFiltersAndCSV(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	lines := []string{
		`{"url": "https://example.com/1", "title": "ارتفاع أسعار النفط", "content": "ارتفعت أسعار النفط اليوم في الأسواق العالمية.", "date_extracted": "2015-07-21 02:51:32", "source": "okaz"}`,
		`{"url": "https://example.com/2", "title": "النفط والذهب", "content": "تراجع النفط وارتفع الذهب.", "date_extracted": "2015-07-22 10:00:00", "source": "sabq"}`,
		`{"url": "https://example.com/3", "title": "=HYPERLINK(\"x\") النفط", "content": "النفط مرة أخرى.", "date_extracted": "2015-07-25 10:00:00", "source": "okaz"}`,
		`{"url": "https://example.com/4", "title": "مباراة الهلال", "content": "فاز الهلال.", "date_extracted": "2015-07-25 11:00:00", "source": "okaz"}`,
	}
	file := filepath.Join(t.TempDir(), "in.jsonl")
	os.WriteFile(file, []byte(strings.Join(lines, "\n")), 0o644)
	if code, out, errOut := runCode(ctx, data, "", "import", file); code != 0 {
		t.Fatalf("import: exit %d: %s %s", code, out, errOut)
	}
	total := func(args ...string) int {
		t.Helper()
		code, out, errOut := runCode(ctx, data, "", append([]string{"search", "--json"}, args...)...)
		if code != 0 {
			t.Fatalf("search %v: %d %s", args, code, errOut)
		}
		var res struct{ Total int }
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatal(err)
		}
		return res.Total
	}
	if n := total("النفط"); n != 3 {
		t.Errorf("النفط: %d, want 3", n)
	}
	if n := total("--source", "okaz", "النفط"); n != 2 {
		t.Errorf("النفط from okaz: %d, want 2", n)
	}
	if n := total("--source", "okaz", "--to", "2015-07-22", "النفط"); n != 1 {
		t.Errorf("النفط from okaz to July 22nd: %d, want 1", n)
	}
	if n := total("--from", "2015-07-22", "--to", "2015-07-25", "--tz", "Asia/Riyadh", "النفط"); n != 2 {
		t.Errorf("النفط July 22nd to 25th: %d, want 2", n)
	}
	code, out, errOut := runCode(ctx, data, "", "search", "--csv", "--all", "--source", "okaz", "--source", "sabq", "النفط")
	if code != 0 {
		t.Fatalf("csv: %d %s", code, errOut)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("csv output does not read back: %v\n%s", err, out)
	}
	if len(recs) != 4 || strings.Join(recs[0], ",") != "id,url,title,source,country,published,tags,entities" {
		t.Fatalf("csv: %d records (want a header and 3): %q", len(recs), recs)
	}
	if !strings.HasPrefix(recs[3][2], "'=") || recs[1][1] != "https://example.com/1" || recs[1][5] != "2015-07-21T02:51:32Z" {
		t.Errorf("csv rows: %q", recs[1:])
	}
	for _, tc := range []struct{ args []string }{
		{[]string{"search", "--from", "yesterday", "x"}},
		{[]string{"search", "--country", "Saudi", "x"}},
		{[]string{"search", "--csv", "x"}},
		{[]string{"search", "--csv", "--all", "--json", "x"}},
	} {
		code, _, errOut := runCode(ctx, data, "", tc.args...)
		if code != 2 || errOut == "" {
			t.Errorf("khabar %v: exit %d, stderr %q; want a usage error", tc.args, code, errOut)
		}
	}
}
