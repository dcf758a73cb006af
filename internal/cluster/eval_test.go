package cluster

import (
	"cmp"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"khabar/internal/dedup"
)

// The evaluation on SaudiNewsNet (research-only, read from ../shared).
//
// Silver labels: two articles are copies when their normalized texts both
// have at least dedup.MinWords words and share at least 60% of the shorter
// text's distinct 8-word shingles (8-grams that occur in more than
// silverMaxPosting articles are outlet boilerplate and not counted as
// shared), or when their content hashes are equal. A long exact passage is
// what republishing a wire story leaves; distinct write-ups of one event
// almost never share 8 words in a row that often. Such a pair is a copy
// when the texts are also similar in the other direction, sharing at least
// silverLongerShare of the longer text's 8-word shingles; otherwise the
// shorter is an item contained in a longer article or a digest, which
// belongs to the same story but is not a copy.
//
// The incremental algorithm runs in publication order with memIndex (band
// key → ids, the store's Candidates). Measured:
//
//   - recall: silver copy pairs whose two articles got the same duplicate
//     root;
//   - precision: predicted copy pairs (pairs in one duplicate group) that
//     are in one connected component of the silver copy pairs;
//   - story: silver pairs, copies and contained items, placed in the same
//     story.
//
// Run: KHABAR_EVAL=1 go test ./internal/cluster -run TestEvalSaudiNewsNet -v
// (KHABAR_EVAL_DUMP=/tmp/file writes errors and a label sample to read).

const (
	silverShingle     = 8
	silverContainment = 0.6
	silverMaxPosting  = 60
	silverLongerShare = 0.5
)

type evalDoc struct {
	art      *snnArticle
	norm     string
	words    []string
	shingles []uint64 // distinct 8-gram hashes
	hash     string
}

type docPair struct{ a, b int32 }

func prepareEval(arts []snnArticle) []evalDoc {
	docs := make([]evalDoc, len(arts))
	for i := range arts {
		d := &docs[i]
		d.art = &arts[i]
		d.norm = testNormalize(arts[i].Content)
		d.words = dedup.Words(d.norm)
		d.hash = dedup.ContentHash(d.norm)
		if len(d.words) >= silverShingle {
			wh := make([]uint64, len(d.words))
			for j, w := range d.words {
				wh[j] = dedup.HashString(w)
			}
			for j := 0; j+silverShingle <= len(wh); j++ {
				h := uint64(0)
				for _, x := range wh[j : j+silverShingle] {
					h = dedup.Mix64(h*31 + x)
				}
				d.shingles = append(d.shingles, h)
			}
			slices.Sort(d.shingles)
			d.shingles = slices.Compact(d.shingles)
		}
	}
	return docs
}

// silverLabels returns the copy pairs (a < b) with their containment.
func silverLabels(docs []evalDoc) map[docPair]float64 {
	post := map[uint64][]int32{}
	for i := range docs {
		if len(docs[i].words) < dedup.MinWords {
			continue
		}
		for _, h := range docs[i].shingles {
			post[h] = append(post[h], int32(i))
		}
	}
	// Pairs sharing a rare 8-gram are the candidates; their containment is
	// then counted over all their 8-grams, common ones included (a wire
	// story about the king repeats his long title in every copy).
	cand := map[docPair]struct{}{}
	for _, ids := range post {
		if len(ids) < 2 || len(ids) > silverMaxPosting {
			continue
		}
		for x := 0; x < len(ids); x++ {
			for y := x + 1; y < len(ids); y++ {
				cand[docPair{ids[x], ids[y]}] = struct{}{}
			}
		}
	}
	labels := map[docPair]float64{}
	for p := range cand {
		a, b := docs[p.a].shingles, docs[p.b].shingles
		n := sharedCount(a, b)
		if c := float64(n) / float64(min(len(a), len(b))); c >= silverContainment {
			labels[p] = c
		}
	}
	byHash := map[string][]int32{}
	for i := range docs {
		if docs[i].hash != "" {
			byHash[docs[i].hash] = append(byHash[docs[i].hash], int32(i))
		}
	}
	for _, ids := range byHash {
		for x := 0; x < len(ids); x++ {
			for y := x + 1; y < len(ids); y++ {
				labels[docPair{ids[x], ids[y]}] = 1
			}
		}
	}
	return labels
}

func sharedCount(a, b []uint64) int {
	n := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			n++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return n
}

type evalResult struct {
	silverPairs, predictedPairs  int
	storyPairs                   int // silver pairs, copies and contained items
	recallHit, precisionHit      int
	sameStory                    int
	dupArticles, stories         int
	largestStory, largestDupSize int
	storySpanMax                 time.Duration
	outsideWindow                int
	fn, fp                       []docPair
	fnWhy                        map[string]int
	feat                         map[int64]Features // by 1-based id
	root                         []int64            // each article's copy root (1-based ids)
}

func (r evalResult) recall() float64    { return ratio(r.recallHit, r.silverPairs) }
func (r evalResult) precision() float64 { return ratio(r.precisionHit, r.predictedPairs) }
func (r evalResult) storyRate() float64 { return ratio(r.sameStory, r.storyPairs) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// runEval assigns every article in order and scores against labels.
func runEval(docs []evalDoc, labels map[docPair]float64, opts Options, limit int) evalResult {
	sources := map[string]int64{}
	idx := newMemIndex()
	idx.limit = limit
	idx.feat = map[int64]Features{}
	root := make([]int64, len(docs))  // duplicate root id (1-based)
	story := make([]int64, len(docs)) // story id
	for i := range docs {
		a := docs[i].art
		src := sources[a.Source]
		if src == 0 {
			src = int64(len(sources) + 1)
			sources[a.Source] = src
		}
		terms := TopicTerms(testTerms(testNormalize(a.Title)), testTerms(docs[i].norm), nil, isTestStop)
		f := NewFeatures(docs[i].norm, terms, src, a.published)
		if !evalNoCountries {
			f.Countries = TitleCountries(a.Title)
		}
		id, d := idx.add(f, opts)
		if id != int64(i+1) {
			panic("ids out of step")
		}
		root[i] = id
		if d.DuplicateOf != 0 {
			root[i] = d.DuplicateOf
		}
		story[i] = idx.arts[id].StoryID
	}
	for i := range root { // joined roots moved copies
		if r := idx.arts[int64(i+1)].DuplicateOf; r != 0 {
			root[i] = r
		}
	}

	r := evalResult{root: root}
	// Silver components, for precision.
	comp := make([]int32, len(docs))
	for i := range comp {
		comp[i] = int32(i)
	}
	var find func(int32) int32
	find = func(x int32) int32 {
		for comp[x] != x {
			comp[x] = comp[comp[x]]
			x = comp[x]
		}
		return x
	}
	for p := range labels {
		r.storyPairs++
		a, b := docs[p.a], docs[p.b]
		if a.hash != "" && a.hash == b.hash ||
			float64(sharedCount(a.shingles, b.shingles)) >= silverLongerShare*float64(max(len(a.shingles), len(b.shingles))) {
			comp[find(p.a)] = find(p.b)
			r.silverPairs++
			if root[p.a] == root[p.b] {
				r.recallHit++
			} else {
				r.fn = append(r.fn, p)
			}
		}
		if story[p.a] == story[p.b] {
			r.sameStory++
		}
		if docs[p.b].art.published.Sub(docs[p.a].art.published) > opts.Window {
			r.outsideWindow++
		}
	}
	groups := map[int64][]int32{}
	for i := range docs {
		groups[root[i]] = append(groups[root[i]], int32(i))
	}
	for _, g := range groups {
		if len(g) > 1 {
			r.dupArticles += len(g) - 1
		}
		r.largestDupSize = max(r.largestDupSize, len(g))
		for x := 0; x < len(g); x++ {
			for y := x + 1; y < len(g); y++ {
				r.predictedPairs++
				if find(g[x]) == find(g[y]) {
					r.precisionHit++
				} else {
					r.fp = append(r.fp, docPair{g[x], g[y]})
				}
			}
		}
	}
	members := map[int64][]int32{}
	for i := range docs {
		members[story[i]] = append(members[story[i]], int32(i))
	}
	r.stories = len(members)
	for _, m := range members {
		r.largestStory = max(r.largestStory, len(m))
		span := docs[m[len(m)-1]].art.published.Sub(docs[m[0]].art.published)
		r.storySpanMax = max(r.storySpanMax, span)
	}
	sortPairs(r.fn)
	sortPairs(r.fp)
	r.fnWhy = missCauses(r.fn, docs, idx.feat, opts)
	r.feat = idx.feat
	return r
}

// missCauses counts why the pairs were not given one copy root (see
// missCause).
func missCauses(pairs []docPair, docs []evalDoc, feat map[int64]Features, opts Options) map[string]int {
	why := map[string]int{}
	for _, p := range pairs {
		why[missCause(p, docs, feat, opts)]++
	}
	return why
}

// missCause is the first rule of Decide, in its order, that keeps the two
// articles of p from being copies, else the grouping of copies (or the
// candidate limit).
func missCause(p docPair, docs []evalDoc, feat map[int64]Features, opts Options) string {
	fa, fb := feat[int64(p.a)+1], feat[int64(p.b)+1]
	sameHash := fa.Text.Hash != "" && fa.Text.Hash == fb.Text.Hash
	switch {
	case docs[p.b].art.published.Sub(docs[p.a].art.published) > opts.Window:
		return "outside window"
	case !shares(fa.Bands(), fb.Bands()):
		return "no shared band"
	case !sameHash && dedup.NearScore(fa.Text, fb.Text) == 0:
		return "estimate below threshold"
	case !sameHash && templated(fa.Numbers, fb.Numbers):
		return "numbers differ"
	case disjoint(fa.Countries, fb.Countries):
		return "titles name other countries"
	}
	return "grouping or candidate limit"
}

func sortPairs(ps []docPair) {
	slices.SortFunc(ps, func(x, y docPair) int {
		if c := cmp.Compare(x.a, y.a); c != 0 {
			return c
		}
		return cmp.Compare(x.b, y.b)
	})
}

func TestEvalSaudiNewsNet(t *testing.T) {
	if testing.Short() || os.Getenv("KHABAR_EVAL") == "" {
		t.Skip("set KHABAR_EVAL=1 to run the SaudiNewsNet evaluation (minutes on 2 cores)")
	}
	arts, part := evalPart(t, loadSaudiNewsNet(t))
	docs := prepareEval(arts)
	labels := silverLabels(docs)
	opts := DefaultOptions()
	r := runEval(docs, labels, opts, CandidateLimit)
	l := evalLinks(docs, r.root, nil)
	t.Logf("part %s", part)
	l.report(t, fmt.Sprintf("; missed by cause: %v", missCauses(l.fnP, docs, r.feat, opts)))
	t.Logf("articles %d, silver copy pairs %d, with contained items %d (%d further apart than the %v window)",
		len(docs), r.silverPairs, r.storyPairs, r.outsideWindow, opts.Window)
	t.Logf("recall of copies %.4f (%d/%d)", r.recall(), r.recallHit, r.silverPairs)
	t.Logf("precision of predicted copy pairs %.4f (%d/%d)", r.precision(), r.precisionHit, r.predictedPairs)
	t.Logf("copies and contained items in the same story %.4f (%d/%d)", r.storyRate(), r.sameStory, r.storyPairs)
	t.Logf("missed copies by cause: %v", r.fnWhy)
	t.Logf("articles marked duplicate %d, largest copy group %d, stories %d, largest story %d, longest story span %v",
		r.dupArticles, r.largestDupSize, r.stories, r.largestStory, r.storySpanMax)
	if path := os.Getenv("KHABAR_EVAL_DUMP"); path != "" {
		dumpEval(t, path, docs, labels, r)
		dumpLinks(t, path+".links", docs, l, func(p docPair) string {
			return fmt.Sprintf("%s; roots %d, %d", missCause(p, docs, r.feat, opts), r.root[p.a]-1, r.root[p.b]-1)
		})
	}
	if r.recall() < 0.90 {
		t.Errorf("recall of copies %.4f < 0.90", r.recall())
	}
	if r.precision() < 0.90 {
		t.Errorf("precision of copy pairs %.4f < 0.90", r.precision())
	}
	if r.storyRate() < 0.95 {
		t.Errorf("copies and contained items in the same story %.4f < 0.95", r.storyRate())
	}
	if r.storySpanMax > opts.MaxStorySpan {
		t.Errorf("a story spans %v, more than %v", r.storySpanMax, opts.MaxStorySpan)
	}
}

func dumpEval(t *testing.T, path string, docs []evalDoc, labels map[docPair]float64, r evalResult) {
	var b strings.Builder
	show := func(kind string, p docPair) {
		x, y := docs[p.a], docs[p.b]
		fx, fy := dedup.NewDoc(x.norm), dedup.NewDoc(y.norm)
		j := dedup.Similarity(fx.Sig, fy.Sig)
		fmt.Fprintf(&b, "=== %s %d %d silver=%.2f jaccard=%.2f containment=%.2f words=%d/%d\n", kind, p.a, p.b,
			labels[p], j, dedup.Containment(j, fx.Shingles, fy.Shingles), len(x.words), len(y.words))
		for _, d := range []evalDoc{x, y} {
			fmt.Fprintf(&b, "--- %s %s %s\n%s\n", d.art.Source, d.art.Date, d.art.Title, clip(d.art.Content, 600))
		}
	}
	for i, p := range r.fn {
		if i%max(1, len(r.fn)/40) == 0 {
			show("MISSED", p)
		}
	}
	for i, p := range r.fp {
		if i%max(1, len(r.fp)/40) == 0 {
			show("WRONG", p)
		}
	}
	var all []docPair
	for p := range labels {
		all = append(all, p)
	}
	sortPairs(all)
	for i, p := range all {
		if i%max(1, len(all)/40) == 0 {
			show("LABEL", p)
		}
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Error(err)
	}
}

func clip(s string, n int) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) > n {
		return string(r[:n]) + " …"
	}
	return string(r)
}

func shares(a, b []uint64) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}
