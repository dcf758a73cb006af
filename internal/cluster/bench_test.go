package cluster

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"khabar/internal/dedup"
)

// scaleIndex is a compact in-memory band index for the scaling benchmark,
// doing what the store does: band key → article ids, newest first, and a
// time filter. Postings are linked lists (head per key, next per posting)
// so that a million articles with ~80 keys each fit in about a gigabyte;
// walking a list stops at the first article older than the window, as an
// index on (band, published) does, so the cost does not grow with the
// number of older articles. Signatures are kept only for recent articles:
// older ones cannot be candidates.
type scaleIndex struct {
	head      map[uint64]int32 // band → newest posting + 1
	postID    []int32
	postNext  []int32 // next (older) posting + 1, 0 at the end
	published []int64 // per article, Unix seconds
	story     []int32
	dupOf     []int32
	source    []int32
	hash      []string
	sigs      [][]uint64
	keepSigs  int
	shared    map[int32]int
}

func newScaleIndex(keepSigs int) *scaleIndex {
	return &scaleIndex{head: map[uint64]int32{}, keepSigs: keepSigs, shared: map[int32]int{}}
}

func (x *scaleIndex) len() int { return len(x.published) }

func (x *scaleIndex) candidates(bands []uint64, since time.Time, limit int) []Candidate {
	clear(x.shared)
	s := since.Unix()
	for _, b := range bands {
		for p := x.head[b]; p != 0; p = x.postNext[p-1] {
			id := x.postID[p-1]
			if x.published[id] < s {
				break
			}
			x.shared[id]++
		}
	}
	type idn struct {
		id int32
		n  int
	}
	list := make([]idn, 0, len(x.shared))
	for id, n := range x.shared {
		list = append(list, idn{id, n})
	}
	slices.SortFunc(list, func(a, b idn) int {
		if a.n != b.n {
			return b.n - a.n
		}
		return cmp.Compare(a.id, b.id)
	})
	if len(list) > limit {
		list = list[:limit]
	}
	out := make([]Candidate, 0, len(list))
	for _, e := range list {
		id := e.id
		if x.sigs[id] == nil {
			continue
		}
		out = append(out, Candidate{ID: int64(id) + 1, SourceID: int64(x.source[id]), StoryID: int64(x.story[id]),
			DuplicateOf: int64(x.dupOf[id]), Published: time.Unix(x.published[id], 0), ContentHash: x.hash[id],
			Signature: x.sigs[id], Shared: e.n})
	}
	return out
}

// assign decides and stores f, as ingest and the store do together.
func (x *scaleIndex) assign(f Features, bands []uint64, opts Options) Decision {
	d := Decide(f, x.candidates(bands, opts.Since(f.Published), CandidateLimit), opts)
	id := int32(len(x.published))
	story := int32(d.StoryID)
	if story == 0 {
		story = id + 1
	}
	x.published = append(x.published, f.Published.Unix())
	x.story = append(x.story, story)
	x.dupOf = append(x.dupOf, int32(d.DuplicateOf))
	x.source = append(x.source, int32(f.SourceID))
	x.hash = append(x.hash, f.Text.Hash)
	x.sigs = append(x.sigs, Pack(f, d.StoryStart))
	if old := len(x.sigs) - 1 - x.keepSigs; old >= 0 {
		x.sigs[old] = nil
		x.hash[old] = ""
	}
	for _, b := range bands {
		x.postID = append(x.postID, id)
		x.postNext = append(x.postNext, x.head[b])
		x.head[b] = int32(len(x.postID))
	}
	return d
}

// perturber makes endless new articles from SaudiNewsNet texts: a base
// article with words dropped and replaced and paragraphs shuffled, from a
// source picked at random, published at a steady rate.
type perturber struct {
	base  [][]string // paragraphs of words, per article
	vocab []string
	rng   *rand.Rand
	t     time.Time
	step  time.Duration
}

func newPerturber(arts []snnArticle, perDay int) *perturber {
	p := &perturber{rng: rand.New(rand.NewPCG(7, 11)), t: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC),
		step: 24 * time.Hour / time.Duration(perDay)}
	seen := map[string]bool{}
	for _, a := range arts {
		norm := testNormalize(a.Content)
		ws := dedup.Words(norm)
		if len(ws) < 30 {
			continue
		}
		p.base = append(p.base, ws)
		for _, w := range ws {
			if !seen[w] && len(p.vocab) < 50000 {
				seen[w] = true
				p.vocab = append(p.vocab, w)
			}
		}
	}
	return p
}

// next returns the normalized text, topic terms, source and time of a new
// article.
func (p *perturber) next() (string, []string, int64, time.Time) {
	src := p.base[p.rng.IntN(len(p.base))]
	words := make([]string, 0, len(src))
	for _, w := range src {
		switch r := p.rng.Float64(); {
		case r < 0.08: // dropped
		case r < 0.13:
			words = append(words, p.vocab[p.rng.IntN(len(p.vocab))])
		default:
			words = append(words, w)
		}
	}
	// Shuffle "paragraphs" of 40 words.
	var paras [][]string
	for i := 0; i < len(words); i += 40 {
		paras = append(paras, words[i:min(i+40, len(words))])
	}
	p.rng.Shuffle(len(paras), func(i, j int) { paras[i], paras[j] = paras[j], paras[i] })
	var b strings.Builder
	for _, para := range paras {
		b.WriteString(strings.Join(para, " "))
		b.WriteByte('\n')
	}
	text := b.String()
	terms := TopicTerms(testTerms(strings.Join(words[:min(12, len(words))], " ")), testTerms(text), nil, isTestStop)
	p.t = p.t.Add(p.step)
	return text, terms, int64(p.rng.IntN(200) + 1), p.t
}

// BenchmarkAssign is the per-article cost of features (signature, topic),
// band keys, candidate lookup and Decide, against an index of the whole
// SaudiNewsNet corpus.
func BenchmarkAssign(b *testing.B) {
	arts := loadSaudiNewsNet(b)
	opts := DefaultOptions()
	idx := newScaleIndex(1 << 30)
	type in struct {
		norm, title string
		src         int64
		pub         time.Time
	}
	ins := make([]in, len(arts))
	for i, a := range arts {
		ins[i] = in{testNormalize(a.Content), testNormalize(a.Title), int64(len(a.Source)), a.published}
		f := NewFeatures(ins[i].norm, TopicTerms(testTerms(ins[i].title), testTerms(ins[i].norm), nil, isTestStop), ins[i].src, a.published)
		idx.assign(f, f.Bands(), opts)
	}
	i := 0
	for b.Loop() {
		a := ins[i%len(ins)]
		i++
		f := NewFeatures(a.norm, TopicTerms(testTerms(a.title), testTerms(a.norm), nil, isTestStop), a.src, a.pub)
		d := Decide(f, idx.candidates(f.Bands(), opts.Since(a.pub), CandidateLimit), opts)
		_ = Pack(f, d.StoryStart)
	}
}

// BenchmarkScaling assigns new articles to an index of 10k, 100k (and,
// with KHABAR_BENCH_1M=1, 1M) perturbed SaudiNewsNet articles published at
// 3,000 a day, and reports ns per article at each size: the cost stays
// flat because only articles in the window are ever looked at.
func BenchmarkScaling(b *testing.B) {
	arts := loadSaudiNewsNet(b)
	sizes := []int{10_000, 100_000}
	if os.Getenv("KHABAR_BENCH_1M") != "" {
		sizes = append(sizes, 1_000_000)
	}
	opts := DefaultOptions()
	p := newPerturber(arts, 3000)
	idx := newScaleIndex(3000 * 8)
	for _, n := range sizes {
		for idx.len() < n {
			text, terms, src, pub := p.next()
			f := NewFeatures(text, terms, src, pub)
			idx.assign(f, f.Bands(), opts)
		}
		b.Run(fmt.Sprintf("index=%d", n), func(b *testing.B) {
			for b.Loop() {
				text, terms, src, pub := p.next()
				f := NewFeatures(text, terms, src, pub)
				idx.assign(f, f.Bands(), opts)
			}
		})
	}
}
