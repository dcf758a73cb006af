package extract

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fixtureScore runs every check of the Arabic fixtures with cfg and counts
// those that hold; it also returns the CNN Arabic body F1.
func fixtureScore(t *testing.T, cfg config) (passed, total int, cnnF1 float64) {
	t.Helper()
	opts := Options{Now: time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)}.withDefaults()
	run := func(pageURL string, parts ...string) *Result {
		doc, err := parseHTML(readFixture(t, parts...))
		if err != nil {
			t.Fatal(err)
		}
		return extractDoc(doc, mustURL(pageURL), opts, cfg)
	}
	check := func(ok bool) {
		total++
		if ok {
			passed++
		}
	}
	inc := func(text string, with, without []string) {
		body := collapseSpace(text)
		for _, w := range with {
			check(strings.Contains(body, collapseSpace(w)))
		}
		for _, w := range without {
			check(!strings.Contains(body, collapseSpace(w)))
		}
	}

	var as struct {
		Title, URL    string
		With, Without []string
	}
	if err := json.Unmarshal(readFixture(t, "assabah-trafilatura", "expected.json"), &as); err != nil {
		t.Fatal(err)
	}
	res := run(as.URL, "assabah-trafilatura", "source.html")
	inc(res.Text, as.With, as.Without)
	check(collapseSpace(res.Title) == collapseSpace(as.Title))

	var fu []struct {
		File     string   `json:"file"`
		URL      string   `json:"url"`
		Includes []string `json:"body_includes"`
		Excludes []string `json:"body_excludes"`
	}
	if err := json.Unmarshal(readFixture(t, "skynews-almasryalyoum-fetchutil", "expected.json"), &fu); err != nil {
		t.Fatal(err)
	}
	for _, e := range fu {
		res := run(e.URL, "skynews-almasryalyoum-fetchutil", e.File)
		inc(res.Title+"\n\n"+res.Text, e.Includes, e.Excludes)
		if e.File == "skynewsarabia_article.html" {
			check(res.Published.Equal(time.Date(2026, 7, 7, 11, 30, 0, 0, time.UTC)))
		}
	}

	res = run("http://arabic.cnn.com/2013/middle_east/8/3/syria.clashes/index.html", "cnn-arabic-newspaper4k", "source.html")
	p, r, _, _ := itemScore(string(readFixture(t, "cnn-arabic-newspaper4k", "expected-text.txt")), res.Text)
	cnnF1 = 2 * p * r / (p + r)
	check(cnnF1 >= 0.95)
	check(res.Title == "معارضون يسيطرون على مخازن للصواريخ بريف دمشق")
	check(res.Agency == "CNN")

	doc, err := parseHTML([]byte(aggregatorPage))
	if err != nil {
		t.Fatal(err)
	}
	res = extractDoc(doc, mustURL("https://news.example.test/x"), opts, cfg)
	inc(res.Text, []string{"خصصت الميزانية"}, []string{"الأكثر قراءة", "كلمات دلالية", "إقرأ أيضاً", "ملفات تعريف الارتباط", "فيسبوك"})
	check(res.Published.Month() == time.March && res.Published.Day() == 2)
	check(res.Modified.Month() == time.March && res.Modified.Day() == 3)
	check(res.Title == "وزير يعلن خطة جديدة لتطوير النقل العام في العاصمة")
	doc, err = parseHTML([]byte(flatPage))
	if err != nil {
		t.Fatal(err)
	}
	res = extractDoc(doc, nil, opts, cfg)
	inc(res.Text, []string{"برنامجا ثقافيا"}, []string{"كلمات دلالية", "إقرأ أيضاً", "أسعار النفط"})
	return passed, total, cnnF1
}

// TestArabicAblation checks each Arabic addition on the Arabic fixtures:
// with every addition on, every check holds and the CNN Arabic body F1 is
// at least 0.95; with one switched off that these fixtures exercise, a
// check fails or the F1 drops, so none is dead weight here. The other
// additions are measured on the extraction benchmark (TestBenchmarkScore
// with EXTRACT_ABLATION=1).
func TestArabicAblation(t *testing.T) {
	if _, err := os.Stat(filepath.Join("testdata", "cnn-arabic-newspaper4k")); err != nil {
		t.Skip("fixtures absent")
	}
	p, n, f1 := fixtureScore(t, defaultConfig)
	t.Logf("%-30s checks %d/%d  CNN Arabic F1 %.3f", "khabar extract", p, n, f1)
	if p != n || f1 < 0.95 {
		t.Errorf("khabar extract: %d of %d fixture checks hold, CNN Arabic F1 %.3f; want all and at least 0.95", p, n, f1)
	}
	// The additions these fixtures exercise.
	needed := map[string]bool{
		"without label pruning": true, "without paragraph trimming": true, "without own paragraph text": true,
		"without visible dates": true, "plain go-trafilatura": true,
	}
	extra := []ablation{{"without visible dates", func() config { c := defaultConfig; c.visibleDay = false; return c }()}}
	for _, v := range append(ablations(), extra...) {
		ap, an, af1 := fixtureScore(t, v.cfg)
		t.Logf("%-30s checks %d/%d  CNN Arabic F1 %.3f", v.name, ap, an, af1)
		if needed[v.name] && ap >= p && af1 >= f1 {
			t.Errorf("%s: %d of %d checks hold and CNN Arabic F1 %.3f, no worse than with it (%d, %.3f)", v.name, ap, an, af1, p, f1)
		}
		delete(needed, v.name)
	}
	for name := range needed {
		t.Errorf("no ablation %q", name)
	}
}
