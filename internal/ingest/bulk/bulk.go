// Package bulk is the import engine: it commits prepared articles many at
// a time, placing each as ingest.Pipeline.Commit would, against the
// stored articles and the ones of the import not stored yet, which it
// keeps in memory (stand-in ids, a background save, a CPU gate, Bloom
// filters of band keys and URLs, band indexes and phrase counts). The
// crawler never uses it; it never fetches.
package bulk

import (
	"cmp"
	"context"
	"fmt"
	"hash/maphash"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"khabar/internal/ingest"
	"khabar/internal/model"
	"khabar/internal/store"
)

// pendingID is where the stand-in ids of articles not yet stored start
// (Batch): above any id SQLite or PostgreSQL hands out, so that they sort
// after every stored article and story, in the order they will be saved,
// as the real ids will.
const pendingID = int64(1) << 62

// Prepared is an article prepared for a Batch, with the stored
// candidates fetched ahead of placing it (Batch.Prefetch).
type Prepared struct {
	*ingest.Prepared
	// The candidates, and the number of the Batch's flushes done before
	// they were read.
	fetched      []store.Candidate
	fetchedAfter int64
	hasFetched   bool
}

// Batch commits prepared articles many at a time, in one store
// transaction each, for bulk imports. Articles are placed in the order
// they are added, each against the stored articles and the ones not
// stored yet, exactly as if every article before it were stored: those
// stand in under ids of their own, and a copy of (or a story joined
// through) one of them refers to it by that stand-in, which becomes a
// reference within the batch (store.BatchRef, resolved by the store as it
// saves) or, for an article of the batch saved before, its real id.
//
// A full batch is saved in the background while the next one is placed
// (saving is the longest part of an import, and placing needs only the
// CPU): its articles stay candidates under their stand-ins until the save
// is done. A store answer that already holds them (a save that ended
// before the answer was read, seen as ids above any the Batch knew) waits
// for the save to finish and takes them under their real ids instead.
//
// Prefetch lets other goroutines ask the store for an article's stored
// candidates ahead of Add (the costliest part of placing, which then
// runs in parallel instead of one article after the other). Articles
// stored after that are missing from the answer: the Batch keeps the
// last keepFlushed batches it saved, and Add looks for candidates among
// those saved since the prefetch; a prefetch older than that is asked
// again.
//
// Most often the store need not be asked at all. The Batch keeps the
// batches it saved as long as they fall in the window of the articles
// being added (up to maxKept), so when the window of an article starts
// after the newest article stored before the Batch began (none, for an
// import into a fresh store) and after every batch no longer kept, all
// its stored candidates are in memory: that is the case of an import in
// roughly chronological order, and it spares each article dozens of
// B-tree searches. It assumes that nothing else saves articles to the
// store meanwhile.
//
// Add and Flush are for one goroutine; no other commit may run on the
// store meanwhile.
type Batch struct {
	p    *ingest.Pipeline
	st   store.Store
	size int
	// The batch being filled: its first article's number among all added
	// (its stand-ins are pendingID + base + index), its articles, band
	// index and URLs.
	base    int64
	pending []*Prepared
	bands   *bandMap // band key → indexes in pending
	urls    map[string]bool
	// The batch being saved in the background, or nil.
	saving *savingBatch
	// flushed are the last batches saved, oldest first; flushes counts
	// the batches saved so far; maxID is the highest id they got (-1
	// before the first save ends).
	flushed []savedBatch
	flushes atomic.Int64
	maxID   int64
	// coverFrom is the sort time (Unix µs) after which every stored
	// article is in flushed, pending or saving: the newest stored before
	// the Batch began or dropped from flushed since. lastSince is the
	// window start of the last article added; flushed keeps the batches
	// with articles after it, at most maxKept.
	coverFrom atomic.Int64
	lastSince int64
	maxKept   int
	// df counts the phrases of the articles added when the store held
	// none before (nil otherwise): Prepare reads document frequencies
	// there instead of asking the store.
	df *phraseCounts
	// cpu holds a token for each goroutine of the Batch's computing now
	// (see cpuGate); adding means Add holds one.
	cpu    cpuGate
	adding bool
	// filter holds (at least) the band keys of every article in memory:
	// pending, being saved and kept; hot is Add's list of an article's keys
	// that pass it.
	filter bandFilter
	hot    []uint64
	// added holds (at least) the URLs of the articles added, when the
	// store held none before (nil otherwise): see MayBeStored.
	added *urlFilter
	// Created and Updated count the articles saved so far.
	Created, Updated int
}

// urlFilter is a Bloom filter of URLs (two bits of one 64-bit word a URL)
// that one goroutine adds to while others ask it.
type urlFilter struct {
	seed maphash.Seed
	bits []atomic.Uint64
}

// urlFilterWords is the filter's size: 1 MiB, a false "may be" for some
// 5% of URLs after a million.
const urlFilterWords = 1 << 17

func newURLFilter() *urlFilter {
	return &urlFilter{seed: maphash.MakeSeed(), bits: make([]atomic.Uint64, urlFilterWords)}
}

func (f *urlFilter) word(u string) (*atomic.Uint64, uint64) {
	h := maphash.String(f.seed, u)
	return &f.bits[h>>12&(urlFilterWords-1)], 1<<(h&63) | 1<<(h>>6&63)
}

func (f *urlFilter) add(u string) {
	w, m := f.word(u)
	w.Or(m)
}

func (f *urlFilter) mayHold(u string) bool {
	w, m := f.word(u)
	return w.Load()&m == m
}

// MayBeStored reports whether an article with the URL u may be stored:
// false when the store held no articles as the Batch began and no
// article added to it so far had u, and so the store need not be asked
// (otherwise an import into a fresh store asks it once for every record,
// to learn nothing). It assumes, as the Batch does, that nothing else saves
// articles meanwhile; one saved anyway is updated by the import's, as an
// article twice in one batch is. It is safe to call from other goroutines
// than the one calling Add.
func (b *Batch) MayBeStored(u string) bool {
	return b.added == nil || b.added.mayHold(u)
}

// cpuGate lets as many goroutines compute as there are processors: the
// workers in Prepare, the caller in Add and the save in the background.
// Without it the save, one goroutine among several busy ones, gets a
// share of a processor; as it is the one that cannot be split, the others
// then wait for it with a processor idle. With it the save, once started,
// keeps a whole processor.
type cpuGate chan struct{}

func newCPUGate() cpuGate { return make(cpuGate, max(1, runtime.GOMAXPROCS(0))) }

func (g cpuGate) acquire() { g <- struct{}{} }
func (g cpuGate) release() { <-g }

// keepFlushed is how many saved batches a Batch keeps for prefetched
// candidates: the import reads ahead about one batch. maxKeptFlushed is
// how many it keeps at most for the windows of the articles added (a few
// KB an article).
const (
	keepFlushed    = 3
	maxKeptFlushed = 16
)

// savedBatch is a batch as stored: its articles as candidates, under
// their real ids.
type savedBatch struct {
	seq   int64 // its number among the flushes, from 1
	cands []store.Candidate
	bands bandIndex // band key → indexes in cands
	maxT  int64     // the newest sort time among them, Unix µs
}

// bandIndex maps band keys to article indexes in a third of the memory of
// a map of slices (a Batch keeps one for every batch in the window): the
// pairs sorted by key, and where the keys of each value of their top
// bandIndexBits bits start (band keys are hashes, spread evenly). An index
// of -1 is a removed entry.
type bandIndex struct {
	keys  []uint64
	idx   []int32
	start []int32 // 1<<bandIndexBits + 1 entries
}

const bandIndexBits = 16

func newBandIndex(m *bandMap) bandIndex {
	n := len(m.ents)
	type pair struct {
		k uint64
		i int32
	}
	pairs := make([]pair, n)
	for j, e := range m.ents {
		pairs[j] = pair{e.k, e.i}
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		if c := cmp.Compare(a.k, b.k); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	x := bandIndex{keys: make([]uint64, n), idx: make([]int32, n), start: make([]int32, 1<<bandIndexBits+1)}
	for j, p := range pairs {
		x.keys[j], x.idx[j] = p.k, p.i
		x.start[p.k>>(64-bandIndexBits)+1] = int32(j + 1)
	}
	for b := 1; b < len(x.start); b++ {
		x.start[b] = max(x.start[b], x.start[b-1]) // empty buckets
	}
	return x
}

// each calls fn with every index under key k.
func (x bandIndex) each(k uint64, fn func(i int)) {
	b := k >> (64 - bandIndexBits)
	for j := x.start[b]; j < x.start[b+1] && x.keys[j] <= k; j++ {
		if x.keys[j] == k && x.idx[j] >= 0 {
			fn(int(x.idx[j]))
		}
	}
}

// remove removes index i under every key.
func (x bandIndex) remove(i int) {
	for j, v := range x.idx {
		if int(v) == i {
			x.idx[j] = -1
		}
	}
}

// bandFilter is a Bloom filter of band keys (two bits of one 64-bit word
// a key; band keys are hashes, so their own bits place them): it answers
// "no article in memory has this key" for nearly all of an article's keys
// with one look-up, where asking each kept batch cost a cache miss or two
// per batch and key.
type bandFilter struct{ bits []uint64 }

// bandFilterWords is the filter's size: 4 MiB, some 12 bits a key for the
// at most 18 batches of 2,000 articles of 76 keys a Batch holds.
const bandFilterWords = 1 << 19

// bandFilterBits returns the word of the filter that holds key k's bits,
// and those bits.
func bandFilterBits(k uint64) (word int, bits uint64) {
	return int(k >> 12 & (bandFilterWords - 1)), 1<<(k&63) | 1<<(k>>6&63)
}

func (f *bandFilter) add(k uint64) {
	if f.bits == nil {
		f.bits = make([]uint64, bandFilterWords)
	}
	w, m := bandFilterBits(k)
	f.bits[w] |= m
}

// appendMaybe appends to dst the keys the filter may hold.
func (f *bandFilter) appendMaybe(dst []uint64, keys []uint64) []uint64 {
	if f.bits == nil {
		return dst
	}
	for _, k := range keys {
		if w, m := bandFilterBits(k); f.bits[w]&m == m {
			dst = append(dst, k)
		}
	}
	return dst
}

func (f *bandFilter) clear() { clear(f.bits) }

// bandMap maps band keys to the indexes of the articles added under them,
// for the batch being filled: the last entry of each key in a map, and
// each entry chained to the one before of its key. Adding a key allocates
// nothing, where a map of slices allocates one for each of a batch's
// keys, which are about a hundred thousand.
type bandMap struct {
	last map[uint64]int32 // key → its last entry in ents
	ents []bandEntry
}

type bandEntry struct {
	k    uint64
	i    int32 // the article's index
	prev int32 // the entry before of the same key, or -1
}

// newBandMap returns a bandMap with room for about n entries.
func newBandMap(n int) *bandMap {
	return &bandMap{last: make(map[uint64]int32, n), ents: make([]bandEntry, 0, n)}
}

func (m *bandMap) add(k uint64, i int) {
	prev, ok := m.last[k]
	if !ok {
		prev = -1
	}
	m.last[k] = int32(len(m.ents))
	m.ents = append(m.ents, bandEntry{k: k, i: int32(i), prev: prev})
}

// each calls fn with every index under key k, the last added first.
func (m *bandMap) each(k uint64, fn func(i int)) {
	j, ok := m.last[k]
	if !ok {
		return
	}
	for ; j >= 0; j = m.ents[j].prev {
		fn(int(m.ents[j].i))
	}
}

// savingBatch is a batch being saved in the background. The save writes
// its articles' ids, so while it runs they are read only through cands,
// taken before it started.
type savingBatch struct {
	base  int64
	prs   []*ingest.Prepared
	arts  []*model.Article
	cands []store.Candidate // per article, under stand-ins; Shared unset
	bands *bandMap
	urls  map[string]bool
	done  chan struct{}
	// set by the save before done is closed
	created []bool
	err     error
}

// New returns a Batch that saves every size articles to p's store.
func New(ctx context.Context, p *ingest.Pipeline, size int) (*Batch, error) {
	st := p.Store()
	if st == nil {
		return nil, fmt.Errorf("bulk: no store to save to")
	}
	b := &Batch{p: p, st: st, size: max(size, 1), bands: newBandMap(0), urls: map[string]bool{}, maxID: -1,
		lastSince: math.MinInt64, maxKept: maxKeptFlushed, cpu: newCPUGate()}
	newest, _, err := st.ListArticles(ctx, store.ArticleFilter{Limit: 1})
	if err != nil {
		return nil, fmt.Errorf("bulk: newest stored article: %w", err)
	}
	from := int64(math.MinInt64)
	if len(newest) > 0 {
		from = sortTime(&newest[0])
	} else {
		b.df = newPhraseCounts()
		b.added = newURLFilter()
	}
	b.coverFrom.Store(from)
	return b, nil
}

// Prepare is Pipeline.Prepare for an article to add to b. It is safe to
// call from other goroutines than the one calling Add.
func (b *Batch) Prepare(ctx context.Context, a *model.Article) (*Prepared, error) {
	b.cpu.acquire()
	defer b.cpu.release()
	var (
		pr  *ingest.Prepared
		err error
	)
	if b.df == nil {
		pr, err = b.p.Prepare(ctx, a)
	} else {
		pr, err = b.p.PrepareWith(ctx, a, b.df)
	}
	if err != nil {
		return nil, err
	}
	return &Prepared{Prepared: pr}, nil
}

// phraseCounts are the document frequencies of the phrases of the
// articles added to a Batch, for an import into a fresh store: the
// store's own (phrase_df) once they are saved, read without a query per
// article (a query per article is a large share of an import's time). An article saved twice counts
// twice; the Batch sees too few of those to matter.
//
// The counts are an open-addressing table of (hash, count) slots rather
// than a Go map: an import counts millions of phrases, the table outgrows
// the processor's caches, and a look-up here touches one cache line where
// a map's touches two or three.
type phraseCounts struct {
	mu    sync.RWMutex
	slots []phraseSlot // a power of two; a zero hash marks a free slot
	used  int
	zero  uint32 // the count of the phrase whose hash is 0
	docs  int
}

type phraseSlot struct {
	hash int64 // store.PhraseHash
	n    uint32
}

func newPhraseCounts() *phraseCounts {
	return &phraseCounts{slots: make([]phraseSlot, 1<<16)}
}

// slotOf returns the index of h's slot in slots, or of the free slot where
// it would go. h is not 0.
func slotOf(slots []phraseSlot, h int64) int {
	mask := len(slots) - 1
	// The multiplication mixes every bit of h into the middle bits taken
	// here: the phrase hashes are uniform already, but a pattern in their
	// low bits would then do no harm.
	i := int((uint64(h)*0x9e3779b97f4a7c15)>>32) & mask
	for slots[i].hash != h && slots[i].hash != 0 {
		i = (i + 1) & mask
	}
	return i
}

func (c *phraseCounts) count(h int64) uint32 {
	if h == 0 {
		return c.zero
	}
	return c.slots[slotOf(c.slots, h)].n
}

// DocFreq implements keywords.Stats.
func (c *phraseCounts) DocFreq(_ context.Context, phrases []string) (map[string]int, int, error) {
	out := make(map[string]int, len(phrases))
	c.mu.RLock()
	defer c.mu.RUnlock()
	for _, p := range phrases {
		out[p] = int(c.count(store.PhraseHash(p)))
	}
	return out, c.docs, nil
}

// add counts an article with the given distinct phrase hashes.
func (c *phraseCounts) add(hs []int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, h := range hs {
		if h == 0 {
			c.zero++
			continue
		}
		if 4*(c.used+1) > 3*len(c.slots) {
			c.grow()
		}
		i := slotOf(c.slots, h)
		if c.slots[i].hash == 0 {
			c.slots[i].hash = h
			c.used++
		}
		c.slots[i].n++
	}
	c.docs++
}

// grow doubles the table.
func (c *phraseCounts) grow() {
	old := c.slots
	c.slots = make([]phraseSlot, 2*len(old))
	for _, s := range old {
		if s.hash != 0 {
			c.slots[slotOf(c.slots, s.hash)] = s
		}
	}
}

// sortTime is the store's sort time of a, in Unix µs: published, else
// fetched.
func sortTime(a *model.Article) int64 {
	if a.Published.IsZero() {
		return a.Fetched.UnixMicro()
	}
	return a.Published.UnixMicro()
}

// since is the start of pr's window, in Unix µs (math.MinInt64: none).
func (b *Batch) since(pr *Prepared) int64 {
	return unixMicro(b.p.Window(pr.Prepared))
}

// unixMicro is t in Unix µs, or math.MinInt64 for the zero time.
func unixMicro(t time.Time) int64 {
	if !t.IsZero() {
		return t.UnixMicro()
	}
	return math.MinInt64
}

// inMemory reports whether all of pr's stored candidates are in memory.
func (b *Batch) inMemory(pr *Prepared) bool {
	return b.since(pr) > b.coverFrom.Load()
}

// Prefetch asks the store for pr's stored candidates, for Add to use,
// unless they are all in memory. It is safe to call from other
// goroutines than the one calling Add, and must be called before pr is
// added.
func (b *Batch) Prefetch(ctx context.Context, pr *Prepared) error {
	if b.inMemory(pr) {
		return nil
	}
	// The count first: a batch saved after it is read is found among
	// b.flushed, whether or not the store's answer has it.
	after := b.flushes.Load()
	cands, err := b.p.CandidatesFrom(ctx, b.st, pr.Prepared)
	if err != nil {
		return err
	}
	pr.fetched, pr.fetchedAfter, pr.hasFetched = cands, after, true
	return nil
}

// Add places pr and queues it; it may start saving a batch, and report
// the error of one saved before.
func (b *Batch) Add(ctx context.Context, pr *Prepared) error {
	if pr.Article.URL == "" {
		return fmt.Errorf("bulk: article has no URL")
	}
	b.cpu.acquire()
	b.adding = true
	defer func() {
		b.adding = false
		b.cpu.release()
	}()
	if b.urls[pr.Article.URL] || b.saving != nil && b.saving.urls[pr.Article.URL] {
		// Saved twice, the second updates the first: place it against
		// the stored first.
		if err := b.Flush(ctx); err != nil {
			return err
		}
	}
	b.lastSince = b.since(pr)
	if b.inMemory(pr) {
		// Every stored candidate is in flushed: none from the store.
		pr.fetched, pr.fetchedAfter, pr.hasFetched = nil, 0, true
	} else if pr.hasFetched && b.flushes.Load()-pr.fetchedAfter > int64(len(b.flushed)) {
		pr.fetched, pr.hasFetched = nil, false // older than what is kept: ask again
	}
	if !pr.hasFetched {
		if err := b.Prefetch(ctx, pr); err != nil {
			return err
		}
	}
	if b.saving != nil && b.answerHasNewer(pr.fetched) {
		if err := b.finishSaving(ctx); err != nil {
			return err
		}
	}
	err := b.p.Place(ctx, pr.Prepared, nil, window{b, pr})
	// The candidates' signatures weigh a few hundred KB an article: not
	// kept while the article waits for its batch to be saved.
	pr.fetched, pr.hasFetched = nil, false
	if err != nil {
		return err
	}
	if b.df != nil {
		b.df.add(pr.Index.PhraseKeys())
	}
	i := len(b.pending)
	b.pending = append(b.pending, pr)
	b.urls[pr.Article.URL] = true
	if b.added != nil {
		b.added.add(pr.Article.URL)
	}
	for _, k := range pr.BandKeys() {
		b.bands.add(k, i)
		b.filter.add(k)
	}
	if len(b.pending) >= b.size {
		return b.startSaving(ctx)
	}
	return nil
}

// answerHasNewer reports whether a store answer holds an article above
// every id the Batch knew: perhaps one of the batch being saved.
func (b *Batch) answerHasNewer(cands []store.Candidate) bool {
	for _, c := range cands {
		if b.maxID < 0 || c.ID > b.maxID {
			return true
		}
	}
	return false
}

// asCandidate is a as the store's Candidates returns it, under the given
// id and story id (all but Shared).
func asCandidate(a *model.Article, id, story int64) store.Candidate {
	return store.Candidate{
		ID: id, SourceID: a.SourceID, SourceName: a.SourceName, StoryID: story,
		DuplicateOf: a.DuplicateOf, Published: time.UnixMicro(sortTime(a)).UTC(),
		ContentHash: a.ContentHash, Signature: a.Signature,
	}
}

// pendingCandidate is pending article i as a candidate, under stand-ins.
func (b *Batch) pendingCandidate(i int) store.Candidate {
	a := b.pending[i].Article
	id := pendingID + b.base + int64(i)
	story := a.StoryID
	if story == 0 {
		story = id // a story of its own, opened when stored
	}
	return asCandidate(a, id, story)
}

// window is the Batch as the source of pr's candidates: those fetched
// from the store ahead (none when all are in memory) and the articles in
// memory, in the order and number the store would give had they all been
// stored.
type window struct {
	b  *Batch
	pr *Prepared
}

// Candidates implements ingest.CandidateSource; pr's distinct band keys
// stand for bands.
func (w window) Candidates(_ context.Context, _ []uint64, since time.Time, limit int) ([]store.Candidate, error) {
	b, pr, from := w.b, w.pr, unixMicro(since)
	// Only the band keys some article in memory may have are looked up
	// in each batch: most of an article's keys are shared with none.
	b.hot = b.filter.appendMaybe(b.hot[:0], pr.BandKeys())
	extra := b.pendingCandidates(from, b.hot)
	if s := b.saving; s != nil {
		extra = append(extra, candidatesIn(from, b.hot, s.bands.each, func(i int) store.Candidate { return s.cands[i] })...)
	}
	extra = append(extra, b.savedCandidates(pr, from, b.hot)...)
	if len(extra) == 0 {
		return pr.fetched, nil
	}
	return mergeCandidates(pr.fetched, extra, limit), nil
}

// pendingCandidates returns the pending articles that share one of keys
// and were published since (Unix µs), as the store's Candidates would return them
// once stored, under stand-in ids.
func (b *Batch) pendingCandidates(since int64, keys []uint64) []store.Candidate {
	if len(b.bands.ents) == 0 {
		return nil
	}
	return candidatesIn(since, keys, b.bands.each, b.pendingCandidate)
}

// savedCandidates returns the articles of the batches saved after pr's
// stored candidates were fetched that share one of keys and were
// published since (Unix µs), as the store would return them.
func (b *Batch) savedCandidates(pr *Prepared, since int64, keys []uint64) []store.Candidate {
	var out []store.Candidate
	for _, sb := range b.flushed {
		if sb.seq <= pr.fetchedAfter {
			continue // stored before the fetch: in its answer
		}
		out = append(out, candidatesIn(since, keys, sb.bands.each, func(i int) store.Candidate { return sb.cands[i] })...)
	}
	return out
}

// candidatesIn returns the articles of a band index that share one of
// keys (an article's band keys, or those of them the Batch's filter may
// hold) and were published since (Unix µs), as store candidates; bands calls its function
// with the indexes under a key, and get gives index i's candidate (all but
// Shared). The candidates share their signatures with the articles kept,
// as placing only reads them and keeps none.
func candidatesIn(since int64, keys []uint64, bands func(k uint64, fn func(i int)), get func(i int) store.Candidate) []store.Candidate {
	if len(keys) == 0 {
		return nil
	}
	shared := map[int]int{}
	count := func(i int) { shared[i]++ }
	for _, k := range keys {
		bands(k, count)
	}
	if len(shared) == 0 {
		return nil
	}
	out := make([]store.Candidate, 0, len(shared))
	for i, n := range shared {
		c := get(i)
		if c.Published.UnixMicro() < since {
			continue
		}
		c.Shared = n
		out = append(out, c)
	}
	return out
}

// startSaving starts saving the pending articles in the background, once
// the batch saved before is done.
func (b *Batch) startSaving(ctx context.Context) error {
	if err := b.finishSaving(ctx); err != nil {
		return err
	}
	if len(b.pending) == 0 {
		return nil
	}
	s := &savingBatch{
		base: b.base, prs: make([]*ingest.Prepared, len(b.pending)), arts: make([]*model.Article, len(b.pending)),
		cands: make([]store.Candidate, len(b.pending)), bands: b.bands, urls: b.urls,
		done: make(chan struct{}),
	}
	idx := make([]store.IndexData, len(b.pending))
	for i, pr := range b.pending {
		s.cands[i] = b.pendingCandidate(i) // before the stand-ins change below
		s.prs[i], s.arts[i], idx[i] = pr.Prepared, pr.Article, pr.Index
	}
	for i, a := range s.arts {
		var err error
		if a.DuplicateOf, err = b.resolve(a.DuplicateOf, s, false); err == nil {
			a.StoryID, err = b.resolve(a.StoryID, s, true)
		}
		if err != nil {
			return err
		}
		// A joined root is resolved as DuplicateOf is; one the Batch can no
		// longer name is left as it is: joining mends a split group of
		// copies, and the article is filed without it.
		joins := a.JoinCopies[:0:0]
		for _, j := range a.JoinCopies {
			if r, err := b.resolve(j, s, false); err == nil {
				joins = append(joins, r)
			}
		}
		a.JoinCopies = joins
		// As a candidate it keeps the stand-ins within s, but names the
		// batch before (saved now) by real ids: a stand-in is only ever
		// resolved against the batch it is in and the one before.
		c := &s.cands[i]
		if c.DuplicateOf >= pendingID && c.DuplicateOf-pendingID < s.base {
			c.DuplicateOf = a.DuplicateOf
		}
		if c.StoryID >= pendingID && c.StoryID-pendingID < s.base {
			c.StoryID = a.StoryID
		}
	}
	b.base += int64(len(b.pending))
	// The next batch's keys, about as many as this one's.
	b.pending, b.bands, b.urls = nil, newBandMap(len(s.bands.ents)), map[string]bool{}
	b.saving = s
	go func() {
		defer close(s.done)
		// Before taking a processor: the wait is mostly the disk's. An
		// error leaves the log to grow, and a failing disk shows in the
		// save itself.
		if c, ok := b.st.(store.Checkpointer); ok {
			_ = c.Checkpoint(ctx)
		}
		b.cpu.acquire()
		defer b.cpu.release()
		s.created, s.err = b.st.SaveArticles(ctx, s.arts, idx)
		if s.err == nil {
			// Here, not where the save is collected: that is on the
			// goroutine placing articles, and this is a write of its own
			// that the next save would wait for.
			b.p.ObserveNames(ctx, s.prs)
		}
	}()
	return nil
}

// resolve turns a stand-in id of an article (or of the story it opens)
// into a reference within s (store.BatchRef) or the real id of an article
// of the batch saved before; other ids are real already.
func (b *Batch) resolve(id int64, s *savingBatch, story bool) (int64, error) {
	if id < pendingID {
		return id, nil
	}
	n := id - pendingID
	if n >= s.base && n < s.base+int64(len(s.arts)) {
		return store.BatchRef(int(n - s.base)), nil
	}
	if len(b.flushed) > 0 {
		last := b.flushed[len(b.flushed)-1]
		base := s.base - int64(len(last.cands))
		if n >= base && n < s.base {
			c := last.cands[n-base]
			if story {
				return c.StoryID, nil
			}
			return c.ID, nil
		}
	}
	return 0, fmt.Errorf("bulk: stand-in id %d names no article of the last two batches", n)
}

// finishSaving waits for the batch being saved, and keeps it as stored.
func (b *Batch) finishSaving(ctx context.Context) error {
	s := b.saving
	if s == nil {
		return nil
	}
	if b.adding {
		// not computing while it waits: the save may need the token
		b.cpu.release()
		<-s.done
		b.cpu.acquire()
	} else {
		<-s.done
	}
	b.saving = nil
	if s.err != nil {
		return fmt.Errorf("bulk: save %d articles from %s: %w", len(s.arts), s.arts[0].URL, s.err)
	}
	b.p.Announce(ctx, s.prs, s.created) // the names were observed by the save
	for _, c := range s.created {
		if c {
			b.Created++
		} else {
			b.Updated++
		}
	}
	// Keep the batch as stored for prefetched candidates; an article
	// updated by this batch is no longer what an older batch kept.
	updated := map[int64]bool{}
	for i, c := range s.created {
		if !c {
			updated[s.arts[i].ID] = true
		}
	}
	for i := 0; len(updated) > 0 && i < len(b.flushed); i++ {
		old := &b.flushed[i]
		for j, c := range old.cands {
			if updated[c.ID] {
				old.bands.remove(j) // never a candidate again
			}
		}
	}
	saved := savedBatch{seq: b.flushes.Load() + 1, cands: make([]store.Candidate, len(s.arts)), bands: newBandIndex(s.bands), maxT: math.MinInt64}
	for i, a := range s.arts {
		b.maxID = max(b.maxID, a.ID)
		saved.cands[i] = asCandidate(a, a.ID, a.StoryID)
		saved.maxT = max(saved.maxT, sortTime(a))
	}
	b.flushed = append(b.flushed, saved)
	// Beyond keepFlushed, a batch is kept while its newest article may be
	// in a window; one dropped moves coverFrom past its articles.
	for len(b.flushed) > keepFlushed {
		old := b.flushed[0]
		if len(b.flushed) <= b.maxKept && old.maxT >= b.lastSince {
			break
		}
		if old.maxT > b.coverFrom.Load() {
			b.coverFrom.Store(old.maxT)
		}
		b.flushed = slices.Delete(b.flushed, 0, 1)
	}
	b.flushes.Add(1)
	// The filter only ever gains keys between rebuilds; rebuilt from the
	// batches kept now, it drops those of the batches dropped.
	b.filter.clear()
	for _, sb := range b.flushed {
		for _, k := range sb.bands.keys {
			b.filter.add(k)
		}
	}
	for _, e := range b.bands.ents {
		b.filter.add(e.k)
	}
	return nil
}

// Flush saves the pending articles and waits until every batch is saved.
func (b *Batch) Flush(ctx context.Context) error {
	if err := b.startSaving(ctx); err != nil {
		return err
	}
	return b.finishSaving(ctx)
}

// mergeCandidates returns the first limit of stored and extra together in
// the store's order (most shared bands first, then newest, then highest
// id), which is the list the store would return had extra been stored.
// An extra candidate already among stored (the same id: an article saved
// after the store answered) replaces it.
func mergeCandidates(stored, extra []store.Candidate, limit int) []store.Candidate {
	all := make([]store.Candidate, 0, len(stored)+len(extra))
	for _, c := range stored {
		if !slices.ContainsFunc(extra, func(e store.Candidate) bool { return e.ID == c.ID }) {
			all = append(all, c)
		}
	}
	all = append(all, extra...)
	slices.SortStableFunc(all, func(x, y store.Candidate) int {
		if c := cmp.Compare(y.Shared, x.Shared); c != 0 {
			return c
		}
		if c := cmp.Compare(y.Published.UnixMicro(), x.Published.UnixMicro()); c != 0 {
			return c
		}
		return cmp.Compare(y.ID, x.ID)
	})
	if len(all) > limit {
		all = all[:limit]
	}
	return all
}
