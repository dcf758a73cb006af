package extract

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode"

	"khabar/internal/sharedtest"
)

// benchPage is one page of the article-extraction benchmark.
type benchPage struct {
	id, url, truth string
	html           []byte
}

// loadBenchmark reads the 181 pages and their ground truth, decompressed.
func loadBenchmark(tb testing.TB) []benchPage {
	tb.Helper()
	root := sharedtest.Path(tb, "benchmarks", "article-extraction")
	raw, err := os.ReadFile(filepath.Join(root, "ground-truth.json"))
	if err != nil {
		tb.Skipf("ground truth unavailable: %v", err)
	}
	var truth map[string]struct {
		ArticleBody string `json:"articleBody"`
		URL         string `json:"url"`
	}
	if err := json.Unmarshal(raw, &truth); err != nil {
		tb.Fatalf("ground truth: %v", err)
	}
	var pages []benchPage
	for id, t := range truth {
		f, err := os.Open(filepath.Join(root, "html", id+".html.gz"))
		if err != nil {
			tb.Fatalf("page %s: %v", id, err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			tb.Fatalf("page %s: %v", id, err)
		}
		body, err := io.ReadAll(zr)
		f.Close()
		if err != nil {
			tb.Fatalf("page %s: %v", id, err)
		}
		pages = append(pages, benchPage{id: id, url: t.URL, truth: t.ArticleBody, html: body})
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].id < pages[j].id })
	return pages
}

// The benchmark's metric (shared/benchmarks/article-extraction/METRIC.md):
// 4-gram shingle multisets of word tokens, per-item P and R normalised per
// item, corpus P and R as means, F1 from the means.
func scoreTokens(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsNumber(r) || r == '_')
	})
}

func shingleCounts(s string) map[string]int {
	t := scoreTokens(s)
	out := map[string]int{}
	if len(t) == 0 {
		return out
	}
	if len(t) < 4 {
		out[strings.Join(t, " ")]++
		return out
	}
	for i := 0; i+4 <= len(t); i++ {
		out[strings.Join(t[i:i+4], " ")]++
	}
	return out
}

// itemScore returns the per-item precision and recall and whether each is
// defined.
func itemScore(truth, pred string) (p, r float64, pOK, rOK bool) {
	ts, ps := shingleCounts(truth), shingleCounts(pred)
	var tp, fp, fn float64
	for k, n := range ps {
		m := ts[k]
		tp += float64(min(n, m))
		if n > m {
			fp += float64(n - m)
		}
	}
	for k, m := range ts {
		if n := ps[k]; m > n {
			fn += float64(m - n)
		}
	}
	if sum := tp + fp + fn; sum > 0 {
		tp, fp, fn = tp/sum, fp/sum, fn/sum
	}
	if tp+fp > 0 {
		p, pOK = tp/(tp+fp), true
	} else if fn == 0 {
		p, pOK = 1, true
	}
	if tp+fn > 0 {
		r, rOK = tp/(tp+fn), true
	} else if fp == 0 {
		r, rOK = 1, true
	}
	return
}

// corpusF1 scores predictions against truths item by item.
func corpusF1(truths, preds []string) (prec, rec, f1 float64) {
	var np, nr int
	for i := range truths {
		p, r, pOK, rOK := itemScore(truths[i], preds[i])
		if pOK {
			prec += p
			np++
		}
		if rOK {
			rec += r
			nr++
		}
	}
	if np > 0 {
		prec /= float64(np)
	}
	if nr > 0 {
		rec /= float64(nr)
	}
	if prec+rec > 0 {
		f1 = 2 * prec * rec / (prec + rec)
	}
	return
}

func TestItemScore(t *testing.T) {
	p, r, _, _ := itemScore("one two three four five", "one two three four five")
	if p != 1 || r != 1 {
		t.Errorf("identical texts: p=%v r=%v, want 1 1", p, r)
	}
	p, r, _, _ = itemScore("one two three four five six", "one two three four")
	if p != 1 || r >= 1 {
		t.Errorf("prefix: p=%v r=%v, want p=1 r<1", p, r)
	}
	_, _, f1 := corpusF1([]string{"a b c d e"}, []string{"x y z w v"})
	if f1 != 0 {
		t.Errorf("disjoint texts: F1=%v, want 0", f1)
	}
}

// runBenchmark extracts every page with cfg and scores the bodies. When
// EXTRACT_PRED_OUT names a file, the predictions are written there in the
// benchmark's format, for shared/eval/extractscore.
func runBenchmark(t *testing.T, pages []benchPage, cfg config, predOut string) (p, r, f1 float64) {
	t.Helper()
	truths := make([]string, len(pages))
	preds := make([]string, len(pages))
	out := map[string]map[string]string{}
	for i, pg := range pages {
		truths[i] = pg.truth
		doc, err := parseForTest(pg.html)
		if err != nil {
			t.Fatalf("%s: %v", pg.id, err)
		}
		res := extractDoc(doc, mustURL(pg.url), Options{}.withDefaults(), cfg)
		preds[i] = res.Text
		out[pg.id] = map[string]string{"articleBody": res.Text}
	}
	if predOut != "" {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(out); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(predOut, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return corpusF1(truths, preds)
}

// TestBenchmarkScore measures body F1 on the 181 pages of the
// article-extraction benchmark and fails below go-trafilatura's published
// 0.960. With EXTRACT_ABLATION=1 it also scores each addition switched off.
func TestBenchmarkScore(t *testing.T) {
	if testing.Short() {
		t.Skip("extraction benchmark skipped in -short mode")
	}
	pages := loadBenchmark(t)
	p, r, f1 := runBenchmark(t, pages, defaultConfig, os.Getenv("EXTRACT_PRED_OUT"))
	t.Logf("khabar extract: items=%d precision=%.3f recall=%.3f F1=%.3f", len(pages), p, r, f1)
	if f1 < 0.960 {
		t.Errorf("body F1 %.3f is below go-trafilatura's published 0.960", f1)
	}
	if os.Getenv("EXTRACT_ABLATION") == "" {
		return
	}
	for _, v := range ablations() {
		if f := os.Getenv("EXTRACT_ABLATION"); f != "1" && !strings.Contains(v.name, f) {
			continue
		}
		p, r, f1 := runBenchmark(t, pages, v.cfg, "")
		t.Logf("%-28s precision=%.3f recall=%.3f F1=%.3f", v.name, p, r, f1)
	}
}

type ablation struct {
	name string
	cfg  config
}

// ablations are the configurations that switch one addition off, and plain
// go-trafilatura with every addition off.
func ablations() []ablation {
	off := func(f func(*config)) config {
		c := defaultConfig
		f(&c)
		return c
	}
	return []ablation{
		{"without label pruning", off(func(c *config) { c.prune = false })},
		{"without paragraph trimming", off(func(c *config) { c.trimText = false })},
		{"without own paragraph text", off(func(c *config) { c.ownText = false })},
		{"with title dropped", off(func(c *config) { c.dropTitle = true })},
		{"without guarded fallback", off(func(c *config) { c.guarded = false })},
		{"go-trafilatura's fallback instead", off(func(c *config) { c.guarded = false; c.fallback = true })},
		{"plain go-trafilatura", plainConfig},
	}
}
