package extract

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

func readFixture(t *testing.T, parts ...string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(append([]string{"testdata"}, parts...)...))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func extractFixture(t *testing.T, pageURL string, parts ...string) *Result {
	t.Helper()
	res, err := Extract(readFixture(t, parts...), pageURL, Options{Now: time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	return res
}

// mustContain checks the inclusions and exclusions of a fixture against the
// body text, white space folded.
func mustContain(t *testing.T, text string, with, without []string) {
	t.Helper()
	body := collapseSpace(text)
	for _, w := range with {
		if !strings.Contains(body, collapseSpace(w)) {
			t.Errorf("body lacks %q", w)
		}
	}
	for _, w := range without {
		if strings.Contains(body, collapseSpace(w)) {
			t.Errorf("body contains %q", w)
		}
	}
}

func TestAssabah(t *testing.T) {
	var exp struct {
		Title, Description, URL string
		With                    []string `json:"with"`
		Without                 []string `json:"without"`
	}
	if err := json.Unmarshal(readFixture(t, "assabah-trafilatura", "expected.json"), &exp); err != nil {
		t.Fatal(err)
	}
	res := extractFixture(t, exp.URL, "assabah-trafilatura", "source.html")
	mustContain(t, res.Text, exp.With, exp.Without)
	if collapseSpace(res.Title) != collapseSpace(exp.Title) {
		t.Errorf("title = %q, want %q", res.Title, exp.Title)
	}
	if !strings.HasPrefix(collapseSpace(res.Description), collapseSpace(exp.Description)) &&
		!strings.HasPrefix(collapseSpace(exp.Description), collapseSpace(res.Description)) {
		t.Errorf("description = %q, want %q", res.Description, exp.Description)
	}
	if res.Language != "ar" {
		t.Errorf("language = %q, want ar", res.Language)
	}
}

func TestCNNArabicGoose(t *testing.T) {
	var exp struct {
		URL      string
		Expected struct {
			Domain      string `json:"domain"`
			CleanedText string `json:"cleaned_text"`
			MetaLang    string `json:"meta_lang"`
		}
	}
	if err := json.Unmarshal(readFixture(t, "cnn-arabic-goose3", "expected.json"), &exp); err != nil {
		t.Fatal(err)
	}
	res := extractFixture(t, exp.URL, "cnn-arabic-goose3", "source.html")
	if !strings.HasPrefix(collapseSpace(res.Text), collapseSpace(exp.Expected.CleanedText)) {
		t.Errorf("text starts %.200q, want %.200q", res.Text, exp.Expected.CleanedText)
	}
	if res.Language != exp.Expected.MetaLang {
		t.Errorf("language = %q, want %q", res.Language, exp.Expected.MetaLang)
	}
	if res.Agency != "CNN" {
		t.Errorf("agency = %q, want CNN", res.Agency)
	}
}

func TestCNNArabicNewspaper(t *testing.T) {
	var exp struct {
		URL       string `json:"url"`
		Title     string `json:"title"`
		Language  string `json:"language"`
		MetaImg   string `json:"meta_img"`
		Canonical string `json:"canonical_link"`
	}
	if err := json.Unmarshal(readFixture(t, "cnn-arabic-newspaper4k", "expected-metadata.json"), &exp); err != nil {
		t.Fatal(err)
	}
	res := extractFixture(t, exp.URL, "cnn-arabic-newspaper4k", "source.html")
	want := string(readFixture(t, "cnn-arabic-newspaper4k", "expected-text.txt"))
	p, r, _, _ := itemScore(want, res.Text)
	f1 := 2 * p * r / (p + r)
	t.Logf("CNN Arabic body: precision=%.3f recall=%.3f F1=%.3f", p, r, f1)
	if f1 < 0.95 {
		t.Errorf("body F1 %.3f < 0.95\ngot:  %q\nwant: %q", f1, res.Text, want)
	}
	checks := []struct{ name, got, want string }{
		{"title", res.Title, exp.Title},
		{"language", res.Language, exp.Language},
		{"image", res.Image, exp.MetaImg},
		{"url", res.URL, exp.Canonical},
		{"agency", res.Agency, "CNN"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if !strings.Contains(res.Text, "\n\n") {
		t.Errorf("text has no paragraph breaks")
	}
}

func TestFetchutilPages(t *testing.T) {
	var exp []struct {
		File            string   `json:"file"`
		URL             string   `json:"url"`
		Includes        []string `json:"body_includes"`
		Excludes        []string `json:"body_excludes"`
		ExcludesClasses []string `json:"body_excludes_css_classes"`
	}
	if err := json.Unmarshal(readFixture(t, "skynews-almasryalyoum-fetchutil", "expected.json"), &exp); err != nil {
		t.Fatal(err)
	}
	for _, e := range exp {
		t.Run(e.File, func(t *testing.T) {
			page := readFixture(t, "skynews-almasryalyoum-fetchutil", e.File)
			res := extractFixture(t, e.URL, "skynews-almasryalyoum-fetchutil", e.File)
			// The headline is part of what a reader sees as the article.
			mustContain(t, res.Title+"\n\n"+res.Text, e.Includes, e.Excludes)
			mustContain(t, res.Text, nil, classTexts(t, page, e.ExcludesClasses))
			if res.Language != "ar" {
				t.Errorf("language = %q, want ar", res.Language)
			}
		})
	}
}

// classTexts returns the text of every element carrying one of classes.
func classTexts(t *testing.T, page []byte, classes []string) []string {
	doc, err := parseHTML(page)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for _, c := range strings.Fields(attr(n, "class")) {
				for _, want := range classes {
					if c == want {
						if s := collapseSpace(textOf(n)); s != "" {
							out = append(out, s)
						}
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

func TestSkyNewsMetadata(t *testing.T) {
	res := extractFixture(t, "https://www.skynewsarabia.com/middle-east/1879607-", "skynews-almasryalyoum-fetchutil", "skynewsarabia_article.html")
	want := time.Date(2026, 7, 7, 14, 30, 0, 0, time.FixedZone("", 3*3600))
	if !res.Published.Equal(want) {
		t.Errorf("published = %v, want %v (written in Arabic-Indic digits)", res.Published, want)
	}
	if res.Title != "الشرع: نؤسس لشراكة تقوم على المصالح المتبادلة مع فرنسا" {
		t.Errorf("title = %q", res.Title)
	}
	if len(res.Authors) != 1 || res.Authors[0] != "سكاي نيوز عربية" {
		t.Errorf("authors = %q", res.Authors)
	}
}

func TestRTLSynthetic(t *testing.T) {
	for _, dir := range []string{"rtl-1", "rtl-2", "rtl-3", "rtl-4"} {
		t.Run(dir, func(t *testing.T) {
			var exp struct {
				Title   string `json:"title"`
				Excerpt string `json:"excerpt"`
			}
			if err := json.Unmarshal(readFixture(t, "rtl-synthetic-readability", dir, "expected-metadata.json"), &exp); err != nil {
				t.Fatal(err)
			}
			res := extractFixture(t, "http://fakehost/test/page.html", "rtl-synthetic-readability", dir, "source.html")
			if res.Title != exp.Title {
				t.Errorf("title = %q, want %q", res.Title, exp.Title)
			}
			doc, err := parseHTML(readFixture(t, "rtl-synthetic-readability", dir, "expected.html"))
			if err != nil {
				t.Fatal(err)
			}
			want := nodeText(doc)
			p, r, _, _ := itemScore(want, res.Text)
			if p < 0.95 || r < 0.95 {
				t.Errorf("body precision=%.3f recall=%.3f\ngot:  %q\nwant: %q", p, r, res.Text, want)
			}
			if !strings.HasPrefix(res.Text, exp.Excerpt) && !strings.Contains(res.Text, exp.Excerpt) {
				t.Errorf("body lacks the excerpt %q", exp.Excerpt)
			}
		})
	}
}
