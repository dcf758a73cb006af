package cluster

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestScaleIndexMatchesFullIndex checks the benchmarks' index against a
// brute-force scan of every article ever stored: for each new article the
// candidates (ids, shared band counts, stored fields, order, limit) must be
// the same, although the index drops whole days once they are out of the
// window. If it dropped a posting the store would still read, or kept a
// wrong list order, the benchmark would measure less work than the store
// does; this is the test that says it does not.
func TestScaleIndexMatchesFullIndex(t *testing.T) {
	const (
		perDay = 60
		days   = 8
	)
	opts := DefaultOptions()
	opts.Window = 2 * 24 * time.Hour // short, so that many days are dropped
	idx := newScaleIndex(opts.Window)

	// Synthetic articles: near copies of a few recurring events, so that
	// text and topic band keys are shared by many articles across days.
	rng := rand.New(rand.NewPCG(3, 5))
	vocab := make([]string, 400)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("w%03d", i)
	}
	events := make([][]string, 25)
	for i := range events {
		for range 80 {
			events[i] = append(events[i], vocab[rng.IntN(len(vocab))])
		}
	}
	type stored struct {
		bands map[uint64]bool
		cand  Candidate
	}
	var all []stored
	brute := func(bands []uint64, since time.Time, limit int) []Candidate {
		asked := map[uint64]bool{}
		for _, b := range bands {
			asked[b] = true
		}
		var out []Candidate
		for _, s := range all {
			if s.cand.Published.Before(since) {
				continue
			}
			// The stores count distinct keys: lsh_bands holds a key once
			// per article, and Candidates asks for each key once.
			n := 0
			for b := range s.bands {
				if asked[b] {
					n++
				}
			}
			if n > 0 {
				c := s.cand
				c.Shared = n
				out = append(out, c)
			}
		}
		// Most shared first, then the newest, as the stores order them.
		slices.SortFunc(out, func(a, b Candidate) int {
			return cmp.Or(cmp.Compare(b.Shared, a.Shared), b.Published.Compare(a.Published), cmp.Compare(b.ID, a.ID))
		})
		return out[:min(len(out), limit)]
	}

	start := time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC)
	maxLive, withCands := 0, 0
	for i := range perDay * days {
		ev := events[rng.IntN(len(events))]
		words := slices.Clone(ev)
		for j := range words {
			if rng.Float64() < 0.1 {
				words[j] = vocab[rng.IntN(len(vocab))]
			}
		}
		pub := start.Add(time.Duration(i) * 24 * time.Hour / perDay)
		f := NewFeatures(strings.Join(words, " "), TopicTerms(words[:8], words, nil, nil), int64(rng.IntN(5)+1), pub)
		bands := f.Bands()
		if i%5 == 0 && len(bands) > 0 {
			// A repeated key, to check it counts once (the stores'
			// primary key and their IN / ANY keep it once).
			bands = append(bands, bands[len(bands)/2])
		}
		since := opts.Since(pub)
		for _, limit := range []int{CandidateLimit, 3} {
			got, want := idx.candidates(bands, since, limit), brute(bands, since, limit)
			if err := sameCandidates(got, want); err != nil {
				t.Fatalf("article %d, limit %d: %v", i, limit, err)
			}
			if limit == CandidateLimit && len(want) > 0 {
				withCands++
			}
		}

		d := idx.assign(f, bands, opts)
		if i%7 == 0 { // late, as the benchmark does, which must not matter
			idx.trim()
		}
		id := int64(len(all)) + 1
		story := d.StoryID
		if story == 0 {
			story = id
		}
		held := map[uint64]bool{}
		for _, b := range bands {
			held[b] = true
		}
		all = append(all, stored{held, Candidate{ID: id, SourceID: f.SourceID, StoryID: story,
			DuplicateOf: d.DuplicateOf, Published: pub, ContentHash: f.Text.Hash, Signature: Pack(f, d.StoryStart)}})
		maxLive = max(maxLive, idx.live())
	}
	if idx.len() != len(all) {
		t.Errorf("len = %d, want %d", idx.len(), len(all))
	}
	// Without shared keys the comparison above proves nothing.
	if withCands < len(all)*9/10 {
		t.Errorf("only %d of %d articles had candidates", withCands, len(all))
	}
	// The window is two days; whole days are dropped, so at most the
	// window, the day it starts in and the current day are held.
	if maxLive > 4*perDay {
		t.Errorf("held up to %d articles, want at most %d", maxLive, 4*perDay)
	}
}

// sameCandidates says how got differs from want, or returns nil.
func sameCandidates(got, want []Candidate) error {
	if len(got) != len(want) {
		return fmt.Errorf("%d candidates, want %d", len(got), len(want))
	}
	for i, g := range got {
		w := want[i]
		if g.ID != w.ID || g.Shared != w.Shared || g.SourceID != w.SourceID || g.StoryID != w.StoryID ||
			g.DuplicateOf != w.DuplicateOf || !g.Published.Equal(w.Published) || g.ContentHash != w.ContentHash ||
			!slices.Equal(g.Signature, w.Signature) {
			g.Signature, w.Signature = nil, nil // long, and rarely the difference
			return fmt.Errorf("candidate %d = %+v, want %+v (signatures not shown)", i, g, w)
		}
	}
	return nil
}
