package entities

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"khabar/internal/sharedtest"
)

// conllSentences reads a CoNLL file: sentences of (token, tag) pairs.
func conllSentences(t *testing.T, path string) (toks, tags [][]string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var wt, gt []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			if len(wt) > 0 {
				toks, tags = append(toks, wt), append(tags, gt)
				wt, gt = nil, nil
			}
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		wt, gt = append(wt, line[:i]), append(gt, line[i+1:])
	}
	if len(wt) > 0 {
		toks, tags = append(toks, wt), append(tags, gt)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return toks, tags
}

// spans lists "sentence:start:end:TYPE" for the entities of BIO tags, the
// way conlleval (and ../shared/eval/nerscore) counts them.
func spans(sent int, tags []string, out map[string]bool) {
	start, kind := -1, ""
	flush := func(end int) {
		if start >= 0 {
			out[fmt.Sprintf("%d:%d:%d:%s", sent, start, end, kind)] = true
		}
		start, kind = -1, ""
	}
	for i, tag := range tags {
		p, k, _ := strings.Cut(tag, "-")
		switch {
		case tag == "O":
			flush(i)
		case p == "B" || k != kind:
			flush(i)
			start, kind = i, k
		}
	}
	flush(len(tags))
}

// TestDevSet tags khabar's hand-annotated development set (testdata/dev.conll),
// reports entity-level precision, recall and F1, and scores the prediction
// file with ../shared/eval/nerscore when it is there.
func TestDevSet(t *testing.T) {
	toks, gold := conllSentences(t, filepath.Join("testdata", "dev.conll"))
	var b strings.Builder
	gs, ps := map[string]bool{}, map[string]bool{}
	doc := rec.TagCoNLLDocument(toks)
	for i, sent := range toks {
		pred := doc[i]
		if len(pred) != len(sent) {
			t.Fatalf("sentence %d: %d tags for %d tokens", i, len(pred), len(sent))
		}
		for k := range sent {
			b.WriteString(sent[k] + " " + pred[k] + "\n")
		}
		b.WriteString("\n")
		spans(i, gold[i], gs)
		spans(i, pred, ps)
	}
	tp := 0
	for s := range ps {
		if gs[s] {
			tp++
		}
	}
	P, R := float64(tp)/float64(max(len(ps), 1)), float64(tp)/float64(max(len(gs), 1))
	F := 0.0
	if P+R > 0 {
		F = 2 * P * R / (P + R)
	}
	if testing.Verbose() {
		for s := range gs {
			if !ps[s] {
				t.Logf("missed %s", describe(toks, s))
			}
		}
		for s := range ps {
			if !gs[s] {
				t.Logf("wrong  %s", describe(toks, s))
			}
		}
	}
	single := map[string]bool{}
	for i, sent := range toks {
		spans(i, rec.TagCoNLL(sent), single)
	}
	stp := 0
	for s := range single {
		if gs[s] {
			stp++
		}
	}
	sp, sr := float64(stp)/float64(max(len(single), 1)), float64(stp)/float64(max(len(gs), 1))
	t.Logf("dev set, each sentence alone (TagCoNLL): precision=%.3f recall=%.3f F1=%.3f", sp, sr, 2*sp*sr/max(sp+sr, 1e-9))
	t.Logf("dev set: %d gold, %d predicted, precision=%.3f recall=%.3f F1=%.3f", len(gs), len(ps), P, R, F)
	// A floor well under the measured figure: it catches a broken rule or
	// gazetteer, not a small change in quality.
	if F < 0.55 || P < 0.65 {
		t.Errorf("dev set F1 %.3f, precision %.3f: below the floor (0.55, 0.65)", F, P)
	}
	pred := filepath.Join(t.TempDir(), "pred.conll")
	if err := os.WriteFile(pred, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	gold0, _ := filepath.Abs(filepath.Join("testdata", "dev.conll"))
	evalDir := sharedtest.Find("eval")
	if evalDir == "" {
		t.Logf("nerscore not run: shared/eval is absent")
		return
	}
	cmd := exec.Command("go", "run", "./nerscore", "-gold", gold0, "-pred", pred)
	cmd.Dir = evalDir
	res, err := cmd.CombinedOutput()
	if err != nil {
		t.Logf("nerscore could not run (%v): %s", err, res)
		return
	}
	t.Logf("nerscore:\n%s", res)
}

// describe renders a span key with its tokens, for the verbose error list.
func describe(toks [][]string, key string) string {
	var sent, a, b int
	var kind string
	fmt.Sscanf(strings.ReplaceAll(key, ":", " "), "%d %d %d %s", &sent, &a, &b, &kind)
	return kind + " " + strings.Join(toks[sent][a:b], " ")
}
