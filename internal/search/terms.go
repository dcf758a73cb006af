package search

import (
	"context"
	"errors"
	"hash/maphash"
	"slices"
	"strings"
	"sync"

	"khabar/internal/model"
	"khabar/internal/store"
)

// termSet is the analysed words (Norm) of what a candidate for related
// reading is about (its title, its opening, its keywords and names; see
// Service.terms), as sorted distinct hashes: an article is scored against
// many others, and a set of hashes is a fifth of the memory of a map of
// strings.
type termSet []uint64

var termSeed = maphash.MakeSeed()

func termHash(norm string) uint64 { return maphash.String(termSeed, norm) }

func (t termSet) has(h uint64) bool {
	_, ok := slices.BinarySearch(t, h)
	return ok
}

// termCacheSize bounds the term sets kept (a set is about 2 KB): an
// article is a candidate for the related reading of many others, and
// analysing its text is most of what scoring it costs.
const termCacheSize = 16384

// ringCache keeps values under article ids, each with a key of what it
// was made from (a value asked for under another key is not returned),
// at most a fixed number: past it the oldest entry goes (a clock over
// slots). Safe for concurrent use.
type ringCache[V any] struct {
	mu   sync.Mutex
	m    map[int64]ringEntry[V]
	ring []int64
	next int
}

type ringEntry[V any] struct {
	key uint64
	v   V
}

func newRingCache[V any](n int) *ringCache[V] {
	return &ringCache[V]{m: make(map[int64]ringEntry[V], n), ring: make([]int64, 0, n)}
}

func (c *ringCache[V]) get(id int64, key uint64) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[id]
	if !ok || e.key != key {
		var zero V
		return zero, false
	}
	return e.v, true
}

func (c *ringCache[V]) put(id int64, key uint64, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[id]; ok {
		c.m[id] = ringEntry[V]{key, v}
		return
	}
	if len(c.ring) < cap(c.ring) {
		c.ring = append(c.ring, id)
	} else {
		delete(c.m, c.ring[c.next])
		c.ring[c.next] = id
		c.next = (c.next + 1) % len(c.ring)
	}
	c.m[id] = ringEntry[V]{key, v}
}

// termKey hashes what an article's term set is made of.
func termKey(b model.Article) uint64 {
	var h maphash.Hash
	h.SetSeed(termSeed)
	h.WriteString(b.Title)
	h.WriteByte(0)
	if b.ContentHash != "" {
		h.WriteString(b.ContentHash)
	} else {
		h.WriteString(truncate(b.Text, relatedTextRunes))
	}
	for _, k := range b.Keywords {
		h.WriteByte(0)
		h.WriteString(k)
	}
	for _, e := range b.Entities {
		h.WriteByte(1)
		h.WriteString(e.Name)
	}
	return h.Sum64()
}

// terms returns b's term set: the analysed words of its title, its
// opening (relatedTextRunes) and its tags, which say what it is about.
// Analysing only those keeps related reading cheap; the set is cached.
func (s *Service) terms(b model.Article) termSet {
	key := termKey(b)
	if b.ID != 0 {
		if t, ok := s.cache.get(b.ID, key); ok {
			return t
		}
	}
	var b2 strings.Builder
	b2.WriteString(b.Title)
	b2.WriteString("\n\n")
	b2.WriteString(truncate(b.Text, relatedTextRunes))
	for _, k := range b.Keywords {
		b2.WriteString("\n")
		b2.WriteString(k)
	}
	for _, e := range b.Entities {
		b2.WriteString("\n")
		b2.WriteString(e.Name)
	}
	toks := s.an.Analyze(b2.String())
	t := make(termSet, 0, len(toks))
	for _, tok := range toks {
		if tok.Norm != "" {
			t = append(t, termHash(tok.Norm))
		}
	}
	slices.Sort(t)
	t = slices.Clip(slices.Compact(t))
	if b.ID != 0 {
		s.cache.put(b.ID, key, t)
	}
	return t
}

// passCacheSize bounds the candidates a bulk pass keeps (ForPass): about
// 2.5 KB each.
const passCacheSize = 16384

// passCandidate is what scoring a candidate for related reading reads of
// it: the fields sameStory and rank need, and its term set.
type passCandidate struct {
	art   model.Article // ID, Title, Published, StoryID, DuplicateOf, ContentHash only
	terms termSet
}

// ForPass returns a Service for one bulk pass of related reading over
// articles that do not change during it (the pass at the end of an
// import, or khabar related): the candidates it loads are kept, at most
// passCacheSize, so that an article that is a candidate for many of its
// neighbours is read and analysed once, not once for each.
func (s *Service) ForPass() *Service {
	c := *s
	c.pass = newRingCache[passCandidate](passCacheSize)
	return &c
}

// candidate loads the article id as a candidate for related reading;
// found is false when it is not stored.
func (s *Service) candidate(ctx context.Context, id int64) (c passCandidate, found bool, err error) {
	if s.pass != nil {
		if c, ok := s.pass.get(id, 0); ok {
			return c, true, nil
		}
	}
	b, err := s.st.GetArticle(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return passCandidate{}, false, nil
	}
	if err != nil {
		return passCandidate{}, false, err
	}
	c = passCandidate{terms: s.terms(b), art: model.Article{ID: b.ID, Title: b.Title, Published: b.Published,
		StoryID: b.StoryID, DuplicateOf: b.DuplicateOf, ContentHash: b.ContentHash}}
	if s.pass != nil {
		s.pass.put(id, 0, c)
	}
	return c, true, nil
}
