package coverage

import (
	"archive/zip"
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"khabar/internal/analysis"
	"khabar/internal/arabic"
	"khabar/internal/entities"
	"khabar/internal/model"
	"khabar/internal/sharedtest"
)

// goldQuote is a hand-annotated quotation (testdata/quotes-gold.tsv).
type goldQuote struct {
	speaker, text string
}

// TestQuotesAnnotated measures Quotes against hand-annotated SaudiNewsNet
// articles (testdata/quotes-gold.tsv keeps only their URLs, the offsets of
// the quotations and the speakers; the text is read from ../shared). A
// quotation found is right when its text holds at least 80% of the gold
// text's words and its speaker matches after normalization: the same
// words, the same last word (family name), or one within the other. The
// "dev" set tuned the rules; the "held" set was measured once and is
// never tuned on.
func TestQuotesAnnotated(t *testing.T) {
	zips, _ := filepath.Glob(filepath.Join(sharedtest.Path(t, "corpora", "saudinewsnet", "zips"), "*.zip"))
	type row struct {
		set, url string
		off      int
		speaker  string
	}
	var rows []row
	f, err := os.Open("testdata/quotes-gold.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		p := strings.Split(line, "\t")
		off, err := strconv.Atoi(p[2])
		if len(p) != 4 || err != nil {
			t.Fatalf("bad line %q", line)
		}
		rows = append(rows, row{p[0], p[1], off, p[3]})
		want[p[1]] = true
	}
	texts := map[string]string{}
	for _, z := range zips {
		zr, err := zip.OpenReader(z)
		if err != nil {
			t.Fatal(err)
		}
		for _, zf := range zr.File {
			rc, err := zf.Open()
			if err != nil {
				t.Fatal(err)
			}
			var recs []struct{ URL, Content string }
			err = json.NewDecoder(rc).Decode(&recs)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
			for _, rc := range recs {
				if want[rc.URL] && texts[rc.URL] == "" {
					texts[rc.URL] = rc.Content
				}
			}
		}
		zr.Close()
	}
	gold := map[string]map[string][]goldQuote{} // set → url → quotes
	for _, r := range rows {
		c, ok := texts[r.url]
		if !ok {
			t.Fatalf("article %s not in the corpus", r.url)
		}
		if gold[r.set] == nil {
			gold[r.set] = map[string][]goldQuote{}
		}
		if r.off < 0 {
			gold[r.set][r.url] = gold[r.set][r.url][:0:0]
			continue
		}
		end := strings.IndexAny(c[r.off:], "«»“”\"\n")
		if end < 0 {
			end = len(c) - r.off
		}
		gold[r.set][r.url] = append(gold[r.set][r.url], goldQuote{r.speaker, c[r.off : r.off+end]})
	}
	rec := entities.New(entities.Options{})
	an := analysis.New(analysis.Options{Names: rec.Names()})
	// Floors that catch a regression. The held-out floor is the issue's
	// target (F1 ≥ 0.80): measured once on the rules tuned on 199
	// development articles, held-out F1 is 0.828 (precision 0.857, recall
	// 0.800); development F1 is 0.924.
	floors := map[string]float64{"dev": 0.90, "held": 0.80}
	for set, byURL := range gold {
		var tp, fp, fn int
		for url, gs := range byURL {
			text := strings.TrimSpace(texts[url])
			got := Quotes(text, rec.Recognize(text, an.Analyze(text)))
			used := make([]bool, len(gs))
			for _, q := range got {
				hit := false
				for k, g := range gs {
					if used[k] || !textMatches(q.Text, g.text) {
						continue
					}
					used[k], hit = true, true
					if speakerMatches(q.Speaker, g.speaker) {
						tp++
					} else {
						fp++
						fn++
					}
					break
				}
				if !hit {
					fp++
				}
			}
			for _, u := range used {
				if !u {
					fn++
				}
			}
		}
		p, r := float64(tp)/float64(max(1, tp+fp)), float64(tp)/float64(max(1, tp+fn))
		f1 := 0.0
		if p+r > 0 {
			f1 = 2 * p * r / (p + r)
		}
		t.Logf("%s: %d articles, precision %.3f recall %.3f F1 %.3f", set, len(byURL), p, r, f1)
		if f1 < floors[set] {
			t.Errorf("%s: F1 %.3f below %.2f", set, f1, floors[set])
		}
	}
}

func evalWords(s string) []string {
	var out []string
	for _, w := range wordsOf(s) {
		out = append(out, strings.TrimPrefix(w.norm, "ال"))
	}
	return out
}

// textMatches: got holds at least 80% of gold's words.
func textMatches(got, gold string) bool {
	g := evalWords(gold)
	have := map[string]bool{}
	for _, w := range evalWords(got) {
		have[w] = true
	}
	n := 0
	for _, w := range g {
		if have[w] {
			n++
		}
	}
	return len(g) > 0 && float64(n) >= 0.8*float64(len(g))
}

// speakerMatches: the same words after normalization, the same last word
// (family name), or one's words within the other's.
func speakerMatches(got, gold string) bool {
	p, g := evalWords(arabic.Normalize(got)), evalWords(arabic.Normalize(gold))
	if len(p) == 0 || len(g) == 0 {
		return false
	}
	if p[len(p)-1] == g[len(g)-1] {
		return true
	}
	within := func(a, b []string) bool {
		s := " " + strings.Join(b, " ") + " "
		return strings.Contains(s, " "+strings.Join(a, " ")+" ")
	}
	return within(p, g) || within(g, p)
}

// BenchmarkQuotesSaudiNewsNet reports the time Quotes takes per average
// article of the SaudiNewsNet sample (210 articles), its entities found
// beforehand as the pipeline finds them:
//
//	go test -run '^$' -bench QuotesSaudiNewsNet -cpu 1 ./internal/coverage
func BenchmarkQuotesSaudiNewsNet(b *testing.B) {
	raw, err := os.ReadFile(sharedtest.Path(b, "corpora", "saudinewsnet", "stratified-sample.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	rec := entities.New(entities.Options{})
	an := analysis.New(analysis.Options{Names: rec.Names()})
	type doc struct {
		text string
		ents []model.Entity
	}
	var docs []doc
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		var a struct{ Content string }
		if err := json.Unmarshal([]byte(line), &a); err != nil {
			b.Fatal(err)
		}
		text := strings.TrimSpace(a.Content)
		docs = append(docs, doc{text, rec.Recognize(text, an.Analyze(text))})
	}
	n := 0
	for b.Loop() {
		for _, d := range docs {
			Quotes(d.text, d.ents)
			n++
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n)/1e6, "ms/article")
}
