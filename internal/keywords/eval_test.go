package keywords

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"khabar/internal/analysis"
	"khabar/internal/entities"
	"khabar/internal/model"
	"khabar/internal/sharedtest"
)

var (
	akecOut  = flag.String("akec.out", "", "write AKEC predictions to this file (default: a temporary file)")
	akecNews = flag.Int("akec.news", 2000, "SaudiNewsNet articles added to the document frequencies of the AKEC evaluation")
)

// corpusStats is a Stats over document frequencies counted in memory, the
// way the store keeps them.
type corpusStats struct {
	df   map[string]int
	docs int
}

func (s *corpusStats) add(phrases []string) {
	s.docs++
	for _, p := range phrases {
		s.df[p]++
	}
}

func (s *corpusStats) DocFreq(_ context.Context, phrases []string) (map[string]int, int, error) {
	out := make(map[string]int, len(phrases))
	for _, p := range phrases {
		if n, ok := s.df[p]; ok {
			out[p] = n
		}
	}
	return out, s.docs, nil
}

type akecDoc struct {
	id   string
	text string
}

func readAKEC(t testing.TB) (docs []akecDoc, gold string) {
	t.Helper()
	root := sharedtest.Path(t, "corpora", "akec-dev")
	files, err := filepath.Glob(filepath.Join(root, "documents", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Skipf("akec-dev documents not found under %s", root)
	}
	sort.Strings(files)
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.TrimPrefix(string(raw), "\ufeff")
		text = strings.ReplaceAll(text, "\r\n", "\n")
		docs = append(docs, akecDoc{id: strings.TrimSuffix(filepath.Base(f), ".txt"), text: text})
	}
	return docs, filepath.Join(root, "keyphrases.txt")
}

// TestAKEC writes keyphrase predictions for the 100 akec-dev documents and
// scores them with ../shared/eval/kpscore. Document frequencies are counted
// over the akec documents themselves: that is what the store does with the
// articles it holds (every stored article, this one included, counts), so
// the evaluation ranks against the statistics of a corpus like the one the
// article belongs to, not against a prior.
func TestAKEC(t *testing.T) {
	if testing.Short() {
		t.Skip("evaluation: skipped in -short mode")
	}
	docs, gold := readAKEC(t)
	rec := entities.New(entities.Options{})
	an := analysis.New(analysis.Options{Names: rec.Names()})
	own := &corpusStats{df: map[string]int{}}
	toks := make([][]analysis.Token, len(docs))
	ents := make([][]model.Entity, len(docs))
	for i, d := range docs {
		toks[i] = an.Analyze(d.text)
		ents[i] = rec.Recognize(d.text, toks[i])
		own.add(Candidates(d.text, toks[i], ents[i]))
	}
	// The same counts plus a background of Saudi news articles, as a store
	// that has been collecting news would hold.
	withNews := &corpusStats{df: maps.Clone(own.df), docs: own.docs}
	for _, a := range append(sampleArticles(t, 1000), snnArticles(t, *akecNews)...) {
		toks := an.Analyze(a)
		withNews.add(Candidates(a, toks, rec.Recognize(a, toks)))
	}
	predict := func(stats Stats) map[string][]string {
		pred := map[string][]string{}
		for i, d := range docs {
			kp := extractOK(d.text, toks[i], ents[i], stats, 10)
			if len(kp) < 3 {
				t.Errorf("%s: %d keyphrases, want at least 3", d.id, len(kp))
			}
			pred[d.id] = kp
		}
		return pred
	}
	g := readGold(t, gold)
	for _, run := range []struct {
		name  string
		stats Stats
	}{{"no statistics (built-in prior)", nil}, {fmt.Sprintf("akec-dev DF (%d docs)", own.docs), own}} {
		p, r, f := f1At10(g, predict(run.stats))
		t.Logf("%s: P@10=%.3f R@10=%.3f F1@10=%.3f", run.name, p, r, f)
	}
	t.Logf("scored below: akec-dev DF plus %d SaudiNewsNet articles (%d docs)", withNews.docs-own.docs, withNews.docs)
	pred := predict(withNews)
	out := *akecOut
	if out == "" {
		out = filepath.Join(t.TempDir(), "akec-pred.json")
	}
	raw, err := json.MarshalIndent(pred, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	evalDir := filepath.Join(filepath.Dir(filepath.Dir(gold)), "..", "eval")
	cmd := exec.Command("go", "run", "./kpscore", "-gold", gold, "-pred", out, "-k", "10")
	cmd.Dir = evalDir
	res, err := cmd.CombinedOutput()
	if err != nil {
		t.Logf("kpscore could not run (%v): %s; predictions in %s", err, res, out)
		return
	}
	t.Logf("kpscore: %s", strings.TrimSpace(string(res)))
}
