package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"khabar/internal/store/sqlite"
)

// TestOutletProfiles: imported articles with a bare outlet key show the
// outlet's name, aliases meet their key, and `sources edit` changes a
// profile by source id or by key.
func TestOutletProfiles(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	lines := []string{
		`{"url": "https://spa.example/1", "title": "خبر واس", "content": "نص خبر وكالة الأنباء عن الاجتماع.", "date_extracted": "2015-08-01 10:00:00", "source": "was"}`,
		`{"url": "https://arriyadiyah.example/1", "title": "خبر رياضي", "content": "نص خبر رياضي عن المباراة.", "date_extracted": "2015-08-01 11:00:00", "source": "arreyadiyah"}`,
		`{"url": "https://unknown.example/1", "title": "خبر آخر", "content": "نص خبر آخر عن الطقس.", "date_extracted": "2015-08-01 12:00:00", "source": "somepaper"}`,
	}
	file := filepath.Join(t.TempDir(), "in.jsonl")
	os.WriteFile(file, []byte(strings.Join(lines, "\n")), 0o644)
	if code, out, errOut := runCode(ctx, data, "", "import", file); code != 0 {
		t.Fatalf("import: %d %s %s", code, out, errOut)
	}
	if code, out, errOut := runCode(ctx, data, "", "sources", "add", "https://www.example.com/feed.xml", "--title", "مثال"); code != 0 {
		t.Fatalf("add: %d %s %s", code, out, errOut)
	}
	code, out, errOut := runCode(ctx, data, "", "sources", "edit", "1", "--name-ar", "مثال نيوز", "--name-en", "Example News", "--country", "eg", "--kind", "private")
	if code != 0 || !strings.Contains(out, "source 1 (outlet example.com): مثال نيوز / Example News, country EG, kind private") {
		t.Errorf("edit source: %d %q %s", code, out, errOut)
	}
	if code, out, _ := runCode(ctx, data, "", "sources", "edit", "somepaper", "--name-ar", "صحيفة ما"); code != 0 || !strings.Contains(out, "outlet somepaper: صحيفة ما") {
		t.Errorf("edit by key: %d %q", code, out)
	}
	for _, bad := range [][]string{
		{"sources", "edit", "1", "--kind", "tabloid"},
		{"sources", "edit", "1", "--country", "Egypt"},
		{"sources", "edit", "1"},
		{"sources", "edit", "99", "--kind", "wire"},
		{"sources", "edit", "--kind", "wire"},
	} {
		if code, _, errOut := runCode(ctx, data, "", bad...); code == 0 || errOut == "" {
			t.Errorf("%v accepted: %d", bad, code)
		}
	}
	if _, _, errOut := runCode(ctx, data, "", "sources", "edit", "1", "--kind", "tabloid"); !strings.Contains(errOut, `kind "tabloid" is not one of wire, state, public, private`) {
		t.Errorf("bad kind: %s", errOut)
	}

	st, err := sqlite.Open(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for url, want := range map[string][2]string{
		"https://spa.example/1":         {"was", "وكالة الأنباء السعودية"},
		"https://arriyadiyah.example/1": {"arriyadiyah", "الرياضية"},
		"https://unknown.example/1":     {"somepaper", "صحيفة ما"},
	} {
		a, err := st.GetArticleByURL(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		if a.Outlet != want[0] || a.DisplaySource() != want[1] {
			t.Errorf("%s: outlet %q shown as %q, want %q, %q", url, a.Outlet, a.DisplaySource(), want[0], want[1])
		}
	}
	src, err := st.GetSource(ctx, 1)
	if err != nil || src.DisplayName() != "مثال نيوز" || src.Outlet.Country != "EG" {
		t.Errorf("edited source: %+v, %v", src.Outlet, err)
	}
}

// TestQuotesCommand: one JSON line per file with its quotations; a
// file's first line is its title when a blank line follows it.
func TestQuotesCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	withTitle := filepath.Join(dir, "a.txt")
	os.WriteFile(withTitle, []byte("وقال الوزير: «هذا عنوان وليس اقتباسا من النص»\n\nوقال المتحدث باسم الوزارة: «سنعلن النتائج كاملة يوم الأحد المقبل».\n"), 0o644)
	noTitle := filepath.Join(dir, "b.txt")
	os.WriteFile(noTitle, []byte("خبر بلا عنوان.\nوأضاف المدير العام: «العمل مستمر في المشروع دون توقف»."), 0o644)
	code, out, errOut := runCode(ctx, t.TempDir(), "", "quotes", withTitle, noTitle, filepath.Join(dir, "missing.txt"))
	if code == 0 || !strings.Contains(errOut, "missing.txt") {
		t.Errorf("a missing file: exit %d, %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 lines, got %q", out)
	}
	var got []struct {
		File   string `json:"file"`
		Quotes []struct{ Speaker, Text string }
	}
	for _, l := range lines {
		var g struct {
			File   string `json:"file"`
			Quotes []struct{ Speaker, Text string }
		}
		if err := json.Unmarshal([]byte(l), &g); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		got = append(got, g)
	}
	if got[0].File != withTitle || len(got[0].Quotes) != 1 || got[0].Quotes[0].Text != "سنعلن النتائج كاملة يوم الأحد المقبل" ||
		got[0].Quotes[0].Speaker == "" {
		t.Errorf("with a title: %+v", got[0])
	}
	if len(got[1].Quotes) != 1 || got[1].Quotes[0].Text != "العمل مستمر في المشروع دون توقف" {
		t.Errorf("without a title: %+v", got[1])
	}
	if code, _, _ := runCode(ctx, t.TempDir(), "", "quotes"); code != 2 {
		t.Errorf("no file: exit %d, want 2", code)
	}
}

func TestSplitTitle(t *testing.T) {
	for _, tc := range []struct{ in, title, text string }{
		{"عنوان\n\nنص الخبر.", "عنوان", "نص الخبر."},
		{"عنوان\r\n\r\nنص الخبر.", "عنوان", "نص الخبر."},
		{"سطر أول\nسطر ثان.", "", "سطر أول\nسطر ثان."},
		{"سطر وحيد", "", "سطر وحيد"},
		{"عنوان\n\n", "", "عنوان"},
		{"\n\nنص", "", "نص"},
	} {
		if title, text := splitTitle(tc.in); title != tc.title || text != tc.text {
			t.Errorf("splitTitle(%q) = %q, %q; want %q, %q", tc.in, title, text, tc.title, tc.text)
		}
	}
}
