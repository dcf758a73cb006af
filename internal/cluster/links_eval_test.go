package cluster

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"khabar/internal/arabic"
	"khabar/internal/dedup"
)

// The three figures of duplicate_of links, on 5-word shingles of the
// stored texts (the normalized bodies, numbers as written):
//
//   - near-copy recall: pairs of texts (both at least dedup.MinWords words,
//     or equal by content hash) whose shingle Jaccard is at least
//     nearCopyJaccard, found with the same copy root;
//   - link precision: links (an article and the root it is a copy of)
//     whose two texts share at least half of the LONGER text's shingles
//     (or are equal by content hash): a copy is similar in both
//     directions, a short item inside a long digest is not its copy;
//   - country conflicts: links whose two titles both name countries and
//     name none in common.
//
// KHABAR_EVAL_PART picks the articles: "dev" (published before
// linksSplit, what the rules were developed on), "test" (from linksSplit
// on, never tuned on) or all of them (the default).

const (
	linkShingle      = 5
	nearCopyJaccard  = 0.6
	linkRightShare   = 0.5
	linkMaxPosting   = 60
	linkSplitDate    = "2015-08-01"
	linkMinRecall    = 0.99
	linkMinPrecision = 0.95
	linkMaxConflicts = 0.002
)

// evalNoCountries leaves titles' countries out of the features
// (KHABAR_EVAL_NO_COUNTRIES=1), to measure what they add.
var evalNoCountries = os.Getenv("KHABAR_EVAL_NO_COUNTRIES") != ""

// evalPart returns the articles of the part KHABAR_EVAL_PART names.
func evalPart(t testing.TB, arts []snnArticle) ([]snnArticle, string) {
	split, err := time.Parse(time.DateOnly, linkSplitDate)
	if err != nil {
		t.Fatal(err)
	}
	part := os.Getenv("KHABAR_EVAL_PART")
	var out []snnArticle
	for _, a := range arts {
		if part == "dev" && !a.published.Before(split) || part == "test" && a.published.Before(split) {
			continue
		}
		out = append(out, a)
	}
	switch part {
	case "dev":
		return out, "dev (before " + linkSplitDate + ")"
	case "test":
		return out, "held-out (from " + linkSplitDate + ")"
	case "", "all":
		return out, "all"
	}
	t.Fatalf("KHABAR_EVAL_PART=%q: want dev, test or all", part)
	return nil, ""
}

// plainShingles returns the sorted distinct hashes of the 5-word shingles
// of words, numbers kept as written.
func plainShingles(words []string) []uint64 {
	if len(words) < linkShingle {
		return nil
	}
	wh := make([]uint64, len(words))
	for i, w := range words {
		wh[i] = dedup.HashString(w)
	}
	out := make([]uint64, 0, len(words)-linkShingle+1)
	for i := 0; i+linkShingle <= len(wh); i++ {
		h := uint64(linkShingle)
		for _, x := range wh[i : i+linkShingle] {
			h = dedup.Mix64(h*31 + x)
		}
		out = append(out, h)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

type linkEval struct {
	nearPairs, nearHit   int
	links, linksRight    int
	conflicts            int
	wrong, conflict, fnP []docPair
}

func (l linkEval) recall() float64       { return ratio(l.nearHit, l.nearPairs) }
func (l linkEval) precision() float64    { return ratio(l.linksRight, l.links) }
func (l linkEval) conflictRate() float64 { return ratio(l.conflicts, l.links) }

// evalLinks measures the three figures for the duplicate roots root
// (1-based ids; root[i] == i+1 when article i is no copy).
//
// Only the articles of in count, when in is not nil: the near-copy pairs
// of two of them, the links from one of them.
func evalLinks(docs []evalDoc, root []int64, in []bool) linkEval {
	counts := func(i int) bool { return in == nil || in[i] }
	sh := make([][]uint64, len(docs))
	countries := make([][]string, len(docs))
	for i := range docs {
		sh[i] = plainShingles(docs[i].words)
		countries[i] = arabic.Countries(docs[i].art.Title)
	}
	var l linkEval
	post := map[uint64][]int32{}
	for i := range docs {
		if len(docs[i].words) < dedup.MinWords {
			continue
		}
		for _, h := range sh[i] {
			post[h] = append(post[h], int32(i))
		}
	}
	cand := map[docPair]struct{}{}
	for _, ids := range post {
		if len(ids) < 2 || len(ids) > linkMaxPosting {
			continue
		}
		for x := 0; x < len(ids); x++ {
			for y := x + 1; y < len(ids); y++ {
				cand[docPair{ids[x], ids[y]}] = struct{}{}
			}
		}
	}
	post = nil
	byHash := map[string][]int32{}
	for i := range docs {
		if docs[i].hash != "" {
			byHash[docs[i].hash] = append(byHash[docs[i].hash], int32(i))
		}
	}
	for _, ids := range byHash {
		for x := 0; x < len(ids); x++ {
			for y := x + 1; y < len(ids); y++ {
				cand[docPair{ids[x], ids[y]}] = struct{}{}
			}
		}
	}
	for p := range cand {
		if !counts(int(p.a)) || !counts(int(p.b)) {
			continue
		}
		same := docs[p.a].hash != "" && docs[p.a].hash == docs[p.b].hash
		if !same {
			a, b := sh[p.a], sh[p.b]
			n := sharedCount(a, b)
			if float64(n) < nearCopyJaccard*float64(len(a)+len(b)-n) {
				continue
			}
		}
		l.nearPairs++
		if root[p.a] == root[p.b] {
			l.nearHit++
		} else {
			l.fnP = append(l.fnP, p)
		}
	}
	for i := range docs {
		r := int(root[i]) - 1
		if r == i || !counts(i) {
			continue
		}
		l.links++
		p := docPair{int32(min(i, r)), int32(max(i, r))}
		a, b := sh[i], sh[r]
		if docs[i].hash != "" && docs[i].hash == docs[r].hash ||
			len(a) > 0 && len(b) > 0 && float64(sharedCount(a, b)) >= linkRightShare*float64(max(len(a), len(b))) {
			l.linksRight++
		} else {
			l.wrong = append(l.wrong, p)
		}
		if ca, cb := countries[i], countries[r]; len(ca) > 0 && len(cb) > 0 && !intersects(ca, cb) {
			l.conflicts++
			l.conflict = append(l.conflict, p)
		}
	}
	sortPairs(l.fnP)
	sortPairs(l.wrong)
	sortPairs(l.conflict)
	return l
}

func intersects(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

// dumpLinks writes a sample of wrong links, conflicts and missed near
// copies to path, for reading.
func dumpLinks(t *testing.T, path string, docs []evalDoc, l linkEval, cause func(docPair) string) {
	var b strings.Builder
	show := func(kind string, p docPair) {
		x, y := docs[p.a], docs[p.b]
		sx, sy := plainShingles(x.words), plainShingles(y.words)
		n := sharedCount(sx, sy)
		fx, fy := dedup.NewDoc(x.norm), dedup.NewDoc(y.norm)
		j := dedup.Similarity(fx.Sig, fy.Sig)
		why := ""
		if kind == "MISSED" {
			why = " (" + cause(p) + ")"
		}
		fmt.Fprintf(&b, "=== %s %d %d shared=%d/%d,%d est.jaccard=%.2f words=%d/%d%s\n", kind, p.a, p.b, n, len(sx), len(sy),
			j, len(x.words), len(y.words), why)
		for _, d := range []evalDoc{x, y} {
			fmt.Fprintf(&b, "--- %s %s %s\n%s\n", d.art.Source, d.art.Date, d.art.Title, clip(d.art.Content, 400))
		}
	}
	for _, set := range []struct {
		kind  string
		pairs []docPair
	}{{"WRONG", l.wrong}, {"COUNTRIES", l.conflict}, {"MISSED", l.fnP}} {
		for i, p := range set.pairs {
			if set.kind == "MISSED" || i%max(1, len(set.pairs)/80) == 0 {
				show(set.kind, p)
			}
		}
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Error(err)
	}
}

// TestEvalStore measures the three figures on the copy links a store
// holds, from its export (KHABAR_EVAL_EXPORT, the output of `khabar
// export`): the links as import or crawl stored them, not as this
// package's own replay of the decisions (TestEvalSaudiNewsNet) made them.
// KHABAR_EVAL_PART picks the articles as there, by publication time.
func TestEvalStore(t *testing.T) {
	path := os.Getenv("KHABAR_EVAL_EXPORT")
	if path == "" {
		t.Skip("set KHABAR_EVAL_EXPORT to the output of `khabar export` to measure a store's copy links")
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type row struct {
		ID          int64      `json:"id"`
		Title       string     `json:"title"`
		Text        string     `json:"text"`
		Published   *time.Time `json:"published"`
		Fetched     *time.Time `json:"fetched"`
		DuplicateOf *int64     `json:"duplicate_of"`
	}
	var (
		arts []snnArticle
		rows []row
	)
	dec := json.NewDecoder(bufio.NewReaderSize(f, 1<<20))
	for {
		var r row
		if err := dec.Decode(&r); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		a := snnArticle{Title: r.Title, Content: r.Text}
		switch {
		case r.Published != nil:
			a.published = *r.Published
		case r.Fetched != nil:
			a.published = *r.Fetched
		}
		arts, rows = append(arts, a), append(rows, r)
	}
	// The part's articles count (near-copy pairs of two of them, links
	// from one of them); their roots may be anywhere.
	_, part := evalPart(t, nil)
	split, err := time.Parse(time.DateOnly, linkSplitDate)
	if err != nil {
		t.Fatal(err)
	}
	in := make([]bool, len(arts))
	n := 0
	p := os.Getenv("KHABAR_EVAL_PART")
	for i, a := range arts {
		in[i] = p == "" || p == "all" || p == "dev" && a.published.Before(split) || p == "test" && !a.published.Before(split)
		if in[i] {
			n++
		}
	}
	docs := prepareEval(arts)
	index := make(map[int64]int, len(rows))
	for i, r := range rows {
		index[r.ID] = i
	}
	root := make([]int64, len(rows))
	for i, r := range rows {
		root[i] = int64(i + 1)
		if r.DuplicateOf != nil {
			j, ok := index[*r.DuplicateOf]
			if !ok {
				t.Fatalf("article %d is a copy of %d, which the export does not hold", r.ID, *r.DuplicateOf)
			}
			root[i] = int64(j + 1)
		}
	}
	t.Logf("store export %s, part %s: %d articles", path, part, n)
	evalLinks(docs, root, in).report(t, "")
}

// report logs the three figures (the near copies' line ending with
// missed, when given) and fails the test on any short of its target.
func (l linkEval) report(t *testing.T, missed string) {
	t.Helper()
	t.Logf("duplicate_of links %d: right (sharing half of the longer text's 5-word shingles) %.4f (%d/%d); "+
		"titles naming different countries %.4f (%d/%d)", l.links, l.precision(), l.linksRight, l.links,
		l.conflictRate(), l.conflicts, l.links)
	t.Logf("near copies (5-word shingle Jaccard >= %.1f) with one root %.4f (%d/%d)%s", nearCopyJaccard,
		l.recall(), l.nearHit, l.nearPairs, missed)
	if l.recall() < linkMinRecall {
		t.Errorf("near copies with one root %.4f < %.2f", l.recall(), linkMinRecall)
	}
	if l.precision() < linkMinPrecision {
		t.Errorf("right duplicate_of links %.4f < %.2f", l.precision(), linkMinPrecision)
	}
	if l.conflictRate() > linkMaxConflicts {
		t.Errorf("links between titles naming different countries %.4f > %.3f", l.conflictRate(), linkMaxConflicts)
	}
}
