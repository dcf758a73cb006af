package bulk

import (
	"archive/zip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"khabar/internal/analysis"
	"khabar/internal/entities"
	"khabar/internal/ingest"
	"khabar/internal/keywords"
	"khabar/internal/model"
	"khabar/internal/sharedtest"
	"khabar/internal/store"
	"khabar/internal/store/sqlite/sqlitetest"
)

func loadCorpus(t *testing.T, path string, n int) []model.Article {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var out []model.Article
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, ".json") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		var recs []struct{ URL, Title, Content, Source, Date_extracted string }
		if err := json.Unmarshal(data, &recs); err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			pub, _ := time.Parse("2006-01-02 15:04:05", r.Date_extracted)
			out = append(out, model.Article{URL: r.URL, Title: r.Title, Text: r.Content, SourceName: r.Source, Published: pub})
			if len(out) == n {
				return out
			}
		}
	}
	return out
}

// TestBatchPlacesAsCommit checks that a Batch, which places articles
// against pending ones without storing them first, decides every copy and
// story exactly as committing the articles one by one does.
func TestBatchPlacesAsCommit(t *testing.T) {
	if testing.Short() {
		t.Skip("analyses 600 corpus articles twice")
	}
	arts := loadCorpus(t, sharedtest.Path(t, "corpora", "saudinewsnet", "zips", "2015-07-21.zip"), 600)
	// In publication order, as a crawl sees them: the versions of one
	// story come close together, often in the same or the next batch.
	slices.SortStableFunc(arts, func(a, b model.Article) int { return a.Published.Compare(b.Published) })
	ctx := context.Background()
	now := time.Date(2015, 8, 1, 0, 0, 0, 0, time.UTC)
	// lag > 0 prefetches each article's stored candidates that many
	// articles before adding it, as the import does from its workers.
	// slow delays each batch's save, so that articles are placed while the
	// batch before them is being saved (against its stand-ins). seeded
	// dates the two stored articles in the articles' windows, so that the
	// Batch must ask the store; otherwise they are a year older, and it
	// finds every candidate in memory until it has dropped more than kept
	// saved batches (kept > 0).
	type runOpts struct {
		batch, lag int
		slow       bool
		seededNow  bool
		kept       int
	}
	run := func(o runOpts) map[string][2]int64 {
		batch, lag, slow := o.batch, o.lag, o.slow
		st := sqlitetest.Open(t)
		var err error
		// Two stored articles of one story, so that story ids no longer
		// follow article ids (a story id given where an article id is
		// due, or the reverse, then shows).
		seedTime := now.AddDate(-1, 0, 0)
		if o.seededNow {
			seedTime = now
		}
		first := &model.Article{URL: "https://seed.example/1", Title: "بذرة", Published: seedTime}
		if _, err := st.SaveArticle(ctx, first, store.IndexData{}); err != nil {
			t.Fatal(err)
		}
		second := &model.Article{URL: "https://seed.example/2", Title: "بذرة", Published: seedTime, StoryID: first.StoryID}
		if _, err := st.SaveArticle(ctx, second, store.IndexData{}); err != nil {
			t.Fatal(err)
		}
		rec := entities.New(entities.Options{})
		an := analysis.New(analysis.Options{Names: rec.Names()})
		var saveTo store.Store = st
		if slow {
			saveTo = slowSaves{st}
		}
		p := ingest.NewPipeline(saveTo, an, rec, ingest.PipelineConfig{Now: func() time.Time { return now }})
		// Prepared before any save, so that both runs see the same
		// (empty) phrase statistics and analyse alike.
		prs := make([]*Prepared, len(arts))
		for i := range arts {
			a := arts[i]
			pr, err := p.Prepare(ctx, &a)
			if err != nil {
				t.Fatal(err)
			}
			prs[i] = &Prepared{Prepared: pr}
		}
		var b *Batch
		if batch > 0 {
			if b, err = New(ctx, p, batch); err != nil {
				t.Fatal(err)
			}
			if o.kept > 0 {
				b.maxKept = o.kept
			}
		}
		fromStore := 0
		for i, pr := range prs {
			if b != nil && !b.inMemory(pr) {
				fromStore++
			}
			if lag > 0 {
				// Prefetch lag articles ahead (the first ones at once).
				from := i + lag
				if i == 0 {
					from = 0
				}
				for k := from; k <= min(i+lag, len(prs)-1); k++ {
					if !prs[k].hasFetched {
						if err := b.Prefetch(ctx, prs[k]); err != nil {
							t.Fatal(err)
						}
					}
				}
			}
			if b != nil {
				err = b.Add(ctx, pr)
			} else {
				_, err = p.Commit(ctx, pr.Prepared)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		if b != nil {
			if err := b.Flush(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if b != nil {
			t.Logf("%+v: %d of %d articles asked the store", o, fromStore, len(prs))
		}
		out := map[string][2]int64{}
		for _, pr := range prs {
			out[pr.Article.URL] = [2]int64{pr.Article.DuplicateOf, pr.Article.StoryID}
		}
		return out
	}
	want := run(runOpts{})
	for _, c := range []runOpts{
		{batch: 250}, {batch: 100, lag: 150}, {batch: 50, lag: 400}, {batch: 7, lag: 12, slow: true},
		{batch: 250, seededNow: true}, {batch: 50, lag: 400, seededNow: true}, {batch: 7, lag: 12, slow: true, seededNow: true},
		{batch: 50, lag: 20, kept: 4}, {batch: 7, lag: 12, slow: true, kept: 5},
	} {
		got := run(c)
		for u, w := range want {
			if got[u] != w {
				t.Errorf("%+v: %s: batch placed it at (copy of %d, story %d), one by one at (%d, %d)",
					c, u, got[u][0], got[u][1], w[0], w[1])
			}
		}
	}
	copies, joined := 0, 0
	for _, w := range want {
		if w[0] != 0 {
			copies++
		}
	}
	stories := map[int64]int{}
	for _, w := range want {
		stories[w[1]]++
	}
	for _, n := range stories {
		if n > 1 {
			joined += n
		}
	}
	// The sample must exercise the interesting cases.
	if copies == 0 || joined == 0 {
		t.Errorf("sample has %d copies and %d articles in shared stories; want some of each", copies, joined)
	}
	t.Logf("%d articles, %d copies, %d in shared stories", len(want), copies, joined)
}

// slowSaves is a store whose batch saves take a while, as a big batch's do.
type slowSaves struct{ store.Store }

func (s slowSaves) SaveArticles(ctx context.Context, as []*model.Article, idx []store.IndexData) ([]bool, error) {
	time.Sleep(30 * time.Millisecond)
	return s.Store.SaveArticles(ctx, as, idx)
}

// TestBatchCountsPhrasesAsStore checks that a Batch into a fresh store
// gives Prepare the document frequencies the store gives once the
// articles are saved, and that into a store holding articles it leaves
// them to the store.
func TestBatchCountsPhrasesAsStore(t *testing.T) {
	arts := loadCorpus(t, sharedtest.Path(t, "corpora", "saudinewsnet", "zips", "2015-07-21.zip"), 300)
	ctx := context.Background()
	st := sqlitetest.Open(t)
	rec := entities.New(entities.Options{})
	an := analysis.New(analysis.Options{Names: rec.Names()})
	p := ingest.NewPipeline(st, an, rec, ingest.PipelineConfig{})
	b, err := New(ctx, p, 64)
	if err != nil {
		t.Fatal(err)
	}
	if b.df == nil {
		t.Fatal("a Batch into an empty store counts no phrases")
	}
	if b.MayBeStored(arts[0].URL) {
		t.Error("a Batch into an empty store says an article may be stored before any is added")
	}
	seen := map[string]bool{}
	var phrases []string
	for i := range arts {
		pr, err := b.Prepare(ctx, &arts[i])
		if err != nil {
			t.Fatal(err)
		}
		// The phrases, as Prepare finds them before it keeps their hashes.
		a := pr.Article
		full := a.Title + "\n\n" + a.Text
		for _, ph := range keywords.Candidates(full, an.Analyze(full), a.Entities) {
			if !seen[ph] {
				seen[ph] = true
				phrases = append(phrases, ph)
			}
		}
		if err := b.Add(ctx, pr); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	got, gotDocs, _ := b.df.DocFreq(ctx, phrases)
	want, wantDocs, err := st.DocFreq(ctx, phrases)
	if err != nil {
		t.Fatal(err)
	}
	if gotDocs != wantDocs || gotDocs != len(arts) {
		t.Errorf("Batch counts %d articles, the store %d; %d added", gotDocs, wantDocs, len(arts))
	}
	diff, shared := 0, 0
	for _, ph := range phrases {
		if got[ph] != want[ph] {
			if diff++; diff <= 5 {
				t.Errorf("%q: Batch counts %d articles, the store %d", ph, got[ph], want[ph])
			}
		}
		if want[ph] > 1 {
			shared++
		}
	}
	if diff > 0 || shared == 0 {
		t.Errorf("%d of %d phrases counted otherwise; %d in more than one article", diff, len(phrases), shared)
	}
	// Every URL added may be stored; nearly every other is known not to be.
	for _, a := range arts {
		if !b.MayBeStored(a.URL) {
			t.Fatalf("%s was added, and the Batch says it is not stored", a.URL)
		}
	}
	maybe := 0
	for i := range 1000 {
		if b.MayBeStored(fmt.Sprintf("https://never.example/%d", i)) {
			maybe++
		}
	}
	if maybe > 10 {
		t.Errorf("%d of 1,000 URLs never added may be stored, says the Batch", maybe)
	}
	b2, err := New(ctx, p, 64)
	if err != nil {
		t.Fatal(err)
	}
	if b2.df != nil {
		t.Error("a Batch into a store holding articles counts phrases itself")
	}
	if !b2.MayBeStored("https://never.example/1") {
		t.Error("a Batch into a store holding articles says a URL is not stored without asking it")
	}
}

// TestBandIndex checks the band map and the sorted band index made from it
// against a map of slices: every key present, absent, sharing its top bits with others, at
// the ends of the key space, and after a removal.
func TestBandIndex(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const bucket = uint64(1) << (64 - bandIndexBits) // the span of a bucket's keys
	m := map[uint64][]int{0: {3}, ^uint64(0): {4, 9}, bucket - 1: {5}, bucket: {6}}
	for i := range 5000 {
		k := r.Uint64()
		if i%7 == 0 {
			k &^= bucket - 1 // the first key of its bucket
		}
		m[k] = append(m[k], i%100)
	}
	bm := newBandMap(0)
	for k, list := range m {
		for _, i := range list {
			bm.add(k, i)
		}
	}
	for k, list := range m { // the bandMap itself
		var got []int
		bm.each(k, func(i int) { got = append(got, i) })
		slices.Reverse(got)
		if !slices.Equal(got, list) {
			t.Fatalf("bandMap key %#x: %v, want %v", k, got, list)
		}
	}
	x := newBandIndex(bm)
	check := func(removed int) {
		t.Helper()
		keys := []uint64{1, 2, bucket, bucket + 1, ^uint64(0) - 1}
		for k := range m {
			keys = append(keys, k)
		}
		for _, k := range keys {
			var got, want []int
			x.each(k, func(i int) { got = append(got, i) })
			for _, i := range m[k] {
				if i != removed {
					want = append(want, i)
				}
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("key %#x: %v, want %v", k, got, want)
			}
		}
	}
	check(-1)
	x.remove(4)
	check(4)
}

// TestPhraseCounts checks the open-addressing counts against a map,
// through several doublings of the table, with the zero hash and hashes
// that share their slot.
func TestPhraseCounts(t *testing.T) {
	c := newPhraseCounts()
	want := map[int64]uint32{}
	r := rand.New(rand.NewPCG(1, 2))
	pool := make([]int64, 300000)
	for i := range pool {
		pool[i] = int64(r.Uint64())
	}
	pool[0] = 0
	// same low and middle bits, different high bits: one probe chain
	for i := 1; i < 50; i++ {
		pool[i] = int64(i) << 58
	}
	for range 2000 {
		seen := map[int64]bool{}
		var doc []int64
		for range 150 {
			h := pool[r.IntN(len(pool))]
			if r.IntN(4) == 0 {
				h = pool[r.IntN(60)]
			}
			if !seen[h] {
				seen[h] = true
				doc = append(doc, h)
				want[h]++
			}
		}
		c.add(doc)
	}
	if c.docs != 2000 {
		t.Errorf("docs = %d, want 2000", c.docs)
	}
	for h, n := range want {
		if got := c.count(h); got != n {
			t.Fatalf("count(%d) = %d, want %d", h, got, n)
		}
	}
	for range 1000 {
		if h := int64(r.Uint64()); want[h] == 0 && c.count(h) != 0 {
			t.Fatalf("count(%d) = %d for a hash never added", h, c.count(h))
		}
	}
	if len(c.slots) <= 1<<16 {
		t.Errorf("the table never grew (%d slots for %d phrases)", len(c.slots), len(want))
	}
}

// TestBandFilter: a key added is always let through, before and after
// more keys join, and few keys never added are.
func TestBandFilter(t *testing.T) {
	var f bandFilter
	if got := f.appendMaybe(nil, []uint64{1, 2, 3}); len(got) != 0 {
		t.Fatalf("an empty filter let %v through", got)
	}
	r := rand.New(rand.NewPCG(7, 8))
	var added []uint64
	for range 18 * 2000 * 76 {
		k := r.Uint64()
		f.add(k)
		added = append(added, k)
	}
	if got := f.appendMaybe(nil, added); len(got) != len(added) {
		t.Fatalf("%d of %d keys added were let through", len(got), len(added))
	}
	absent := make([]uint64, 100000)
	for i := range absent {
		absent[i] = r.Uint64()
	}
	if got := f.appendMaybe(nil, absent); len(got) > 5000 {
		t.Errorf("the full filter let %d of %d absent keys through", len(got), len(absent))
	}
	f.clear()
	if got := f.appendMaybe(nil, added[:1000]); len(got) != 0 {
		t.Errorf("a cleared filter let %d keys through", len(got))
	}
}
