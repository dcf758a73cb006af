package search

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"khabar/internal/analysis"
	"khabar/internal/model"
	"khabar/internal/store"
)

// Request is one search.
type Request struct {
	Query     string
	SourceIDs []int64
	// Filter narrows the matches (dates, sources or outlets, country,
	// kind, tag, entity: ParseFilter).
	Filter store.Filter
	Limit  int // 0 means 20; at most 100
	Offset int
	// AllowPartial lets a query of several words that no article matches
	// whole fall back to the articles that match some of its words, best
	// first (Results.Partial says so). Interactive search only: alerts,
	// counts and exports ask for every word.
	AllowPartial bool
}

// Result is one hit with its snippet.
type Result struct {
	ID        int64     `json:"id"`
	URL       string    `json:"url"`
	Title     string    `json:"title"`
	Snippet   string    `json:"snippet"` // HTML: escaped text with <mark> around matches
	Published time.Time `json:"published"`
	Source    string    `json:"source"`
	Score     float64   `json:"score"`
}

// Results is a page of results and the number of matches in all.
type Results struct {
	Results []Result `json:"results"`
	// Total counts the articles that match every word: never the partial
	// matches, so that it agrees with attention counts and exports.
	Total int `json:"total"`
	// Partial is true when no article matched every word and the results
	// match only some of them (Request.AllowPartial); PartialTotal then
	// counts those, for paging them.
	Partial      bool `json:"partial"`
	PartialTotal int  `json:"partial_total,omitempty"`
}

// Backend is what search needs from a store.
type Backend interface {
	store.Searcher
	store.Related
	store.Explorer
	GetArticle(ctx context.Context, id int64) (model.Article, error)
	ArticleRefs(ctx context.Context, ids []int64) ([]model.ArticleRef, error)
}

// Service runs searches and finds related reading.
type Service struct {
	st    Backend
	an    *analysis.Analyzer
	cache *ringCache[termSet] // the term sets of related-reading candidates
	// pass, when set, keeps the candidates loaded in one bulk pass (see
	// ForPass).
	pass *ringCache[passCandidate]
}

// New returns a Service over st, analysing queries with an (which must be
// the analyzer the articles were indexed with).
func New(st Backend, an *analysis.Analyzer) *Service {
	return &Service{st: st, an: an, cache: newRingCache[termSet](termCacheSize)}
}

// MaxLimit bounds one page of results.
const MaxLimit = 100

// Search runs req. An empty or stop-word-only query gives no results, not
// an error.
func (s *Service) Search(ctx context.Context, req Request) (Results, error) {
	if req.Limit <= 0 {
		req.Limit = 20
	}
	if req.Limit > MaxLimit {
		req.Limit = MaxLimit
	}
	if req.Offset < 0 {
		return Results{}, fmt.Errorf("search: offset must not be negative, got %d", req.Offset)
	}
	q := Parse(s.an, req.Query)
	if len(q.Clauses) == 0 {
		return Results{Results: []Result{}}, nil
	}
	tq := store.TextQuery{
		Clauses:   q.Clauses,
		SourceIDs: req.SourceIDs,
		Filter:    req.Filter,
		Limit:     req.Limit,
		Offset:    req.Offset,
	}
	hits, total, err := s.st.SearchText(ctx, tq)
	if err != nil {
		return Results{}, fmt.Errorf("search: %w", err)
	}
	partial, partialTotal := false, 0
	if total == 0 && req.AllowPartial && len(q.Clauses) > 1 {
		// No article holds every word: those that hold the most of them,
		// and the rarest, score highest (BM25 adds up the words matched).
		tq.Any = true
		if hits, partialTotal, err = s.st.SearchText(ctx, tq); err != nil {
			return Results{}, fmt.Errorf("search: partial: %w", err)
		}
		partial = partialTotal > 0
	}
	// Loading each hit and cutting its snippet are independent: they run
	// side by side, which halves a page's latency on two cores.
	out := Results{Results: make([]Result, len(hits)), Total: total, Partial: partial, PartialTotal: partialTotal}
	errs := make([]error, len(hits))
	var wg sync.WaitGroup
	sem := make(chan struct{}, snippetWorkers)
	for i, h := range hits {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			a, err := s.st.GetArticle(ctx, h.ID)
			if err != nil {
				errs[i] = fmt.Errorf("search: hit %d: %w", h.ID, err)
				return
			}
			out.Results[i] = Result{
				ID:        a.ID,
				URL:       a.URL,
				Title:     a.Title,
				Snippet:   Snippet(s.an, a.Text, q, 240),
				Published: a.Published,
				Source:    a.DisplaySource(),
				Score:     h.Score,
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return Results{}, err
		}
	}
	return out, nil
}

// snippetWorkers bounds the hits one search loads at once.
const snippetWorkers = 4

// Related returns up to limit articles on a related subject from other
// stories: never a copy or another version of a itself. When the store
// holds a's related reading (computed when a was saved, see Refresh) it is
// that; otherwise it is computed now (see Compute).
func (s *Service) Related(ctx context.Context, a model.Article, limit int) ([]model.ArticleRef, error) {
	if limit <= 0 {
		limit = RelatedLimit
	}
	if a.ID != 0 {
		links, ok, err := s.st.GetRelated(ctx, a.ID)
		if err != nil {
			return nil, fmt.Errorf("search: related to %d: %w", a.ID, err)
		}
		if ok {
			return s.Refs(ctx, links, limit)
		}
	}
	links, err := s.Compute(ctx, a, limit)
	if err != nil {
		return nil, err
	}
	return s.Refs(ctx, links, limit)
}

// Refs loads the articles of links (at most limit) for a page, in one
// read; an article deleted meanwhile is left out.
func (s *Service) Refs(ctx context.Context, links []store.RelatedLink, limit int) ([]model.ArticleRef, error) {
	refs, err := store.LinkRefs(ctx, s.st, links, limit)
	if err != nil {
		return nil, fmt.Errorf("search: related articles: %w", err)
	}
	return refs, nil
}

// RelatedLimit is how many related articles are kept and shown.
const RelatedLimit = 5

// Compute finds up to limit articles on a related subject from other
// stories, best first. Candidates come from a search for any of a's
// strong features (people, organisations, multi-word keyphrases: no other
// candidate could qualify), freshness counted from a's date in both
// directions; when they give fewer than limit, a second search for its
// people and organisations alone. Each candidate is then scored by what it
// shares with a: a person, an organisation or a multi-word keyphrase
// counts 2, a place or a single word 1 (a country is shared by too much
// news to make two articles related). A candidate needs a score of at
// least 3 with at least one strong feature, and half the best candidate's
// score, so a single loose word never makes an article related; two people
// or organisations always do. Time is a decay, not a wall: candidates are
// ranked by score / (1 + days apart / RelatedDecayDays), so of two equally
// related articles the nearer in time comes first, and one years apart is
// still shown when nothing nearer qualifies. A candidate published more
// than LaterAfter after a is marked Later: a later development.
func (s *Service) Compute(ctx context.Context, a model.Article, limit int) ([]store.RelatedLink, error) {
	if limit <= 0 {
		limit = RelatedLimit
	}
	feats := s.features(a)
	if len(feats) == 0 {
		return []store.RelatedLink{}, nil
	}
	exclude := []int64{a.ID}
	if a.DuplicateOf != 0 {
		exclude = append(exclude, a.DuplicateOf)
	}
	var cands []candidate
	seenID := map[int64]bool{}
	seenTitle := map[string]bool{strings.TrimSpace(a.Title): true}
	consider := func(fs []feature) error {
		var clauses []store.Clause
		for _, f := range fs {
			clauses = append(clauses, store.Clause{Exact: f.norms})
		}
		if len(clauses) == 0 {
			return nil
		}
		hits, _, err := s.st.SearchText(ctx, store.TextQuery{
			Clauses:    clauses,
			Any:        true,
			ExcludeIDs: exclude,
			Around:     a.Published,
			AroundID:   a.ID,
			// The story is left out below, not here: without a filter on
			// articles the store ranks only the best matches by relevance
			// (sqlite.Store.SearchText), a tenth of the work.
			Limit:   limit * 6,
			NoTotal: true,
		})
		if err != nil {
			return fmt.Errorf("search: related to %d: %w", a.ID, err)
		}
		for _, h := range hits {
			if seenID[h.ID] {
				continue
			}
			seenID[h.ID] = true
			c, found, err := s.candidate(ctx, h.ID)
			if err != nil {
				return fmt.Errorf("search: related hit %d: %w", h.ID, err)
			}
			if !found {
				continue
			}
			b := c.art
			if sameStory(a, b) {
				continue
			}
			t := strings.TrimSpace(b.Title)
			if seenTitle[t] {
				continue
			}
			score, strong := sharedTerms(feats, c.terms)
			if score < 3 || !strong {
				continue
			}
			seenTitle[t] = true
			cands = append(cands, candidate{id: b.ID, published: b.Published, score: score})
		}
		return nil
	}
	// Only an article sharing a strong feature can qualify, so only those
	// are searched for: a single common word matches much of the store.
	var strong, names []feature
	for _, f := range feats {
		if f.strong {
			strong = append(strong, f)
		}
		if f.entity {
			names = append(names, f)
		}
	}
	if err := consider(strong); err != nil {
		return nil, err
	}
	if len(cands) < limit && len(names) < len(strong) {
		if err := consider(names); err != nil {
			return nil, err
		}
	}
	return rank(a.Published, cands, limit), nil
}

// candidate is an article that qualifies as related reading.
type candidate struct {
	id        int64
	published time.Time
	score     int
}

// rank orders qualifying candidates by their score decayed with the time
// between them and an article published at t, keeps those with at least
// half the best score, and at most limit.
func rank(t time.Time, cands []candidate, limit int) []store.RelatedLink {
	best := 0
	for _, c := range cands {
		best = max(best, c.score)
	}
	decayed := func(c candidate) float64 { return float64(c.score) / (1 + daysApart(t, c.published)/RelatedDecayDays) }
	sort.SliceStable(cands, func(i, j int) bool {
		if di, dj := decayed(cands[i]), decayed(cands[j]); di != dj {
			return di > dj
		}
		return cands[i].published.After(cands[j].published)
	})
	out := []store.RelatedLink{}
	for _, c := range cands {
		if len(out) >= limit {
			break
		}
		if 2*c.score < best {
			continue
		}
		later := !t.IsZero() && !c.published.IsZero() && c.published.Sub(t) > LaterAfter
		out = append(out, store.RelatedLink{ID: c.id, Score: float64(c.score), Later: later})
	}
	return out
}

// daysApart is the distance between two times in days; 0 when either is
// unknown.
func daysApart(a, b time.Time) float64 {
	if a.IsZero() || b.IsZero() {
		return 0
	}
	d := a.Sub(b)
	if d < 0 {
		d = -d
	}
	return d.Hours() / 24
}

// sameStory reports whether b is a, a copy of a or a version of a's story.
func sameStory(a, b model.Article) bool {
	return b.ID == a.ID || b.DuplicateOf == a.ID || a.DuplicateOf == b.ID ||
		a.DuplicateOf != 0 && b.DuplicateOf == a.DuplicateOf ||
		a.StoryID != 0 && b.StoryID == a.StoryID ||
		a.ContentHash != "" && b.ContentHash == a.ContentHash
}

// relatedTextRunes is how much of a candidate's text is read to score it.
const relatedTextRunes = 1500

// RelatedDecayDays is the time scale of relatedness: two articles this
// many days apart count half as related as the same two on one day.
const RelatedDecayDays = 90

// LaterAfter is how long after an article a related one must be published
// to be a later development (a story spans at most a week).
const LaterAfter = 7 * 24 * time.Hour

type feature struct {
	norms  []string
	hashes []uint64 // termHash of each of norms
	strong bool     // a person, an organisation or a multi-word phrase
	entity bool     // a person or an organisation
}

// features are a's entity names and keywords, analysed as the index is.
func (s *Service) features(a model.Article) []feature {
	var out []feature
	seen := map[string]bool{}
	add := func(text string, entity bool) {
		var norms []string
		for _, t := range s.an.Analyze(text) {
			if !t.Stop && t.Norm != "" {
				norms = append(norms, t.Norm)
			}
		}
		key := strings.Join(norms, " ")
		if key == "" || seen[key] {
			return
		}
		seen[key] = true
		hashes := make([]uint64, len(norms))
		for i, n := range norms {
			hashes[i] = termHash(n)
		}
		out = append(out, feature{norms: norms, hashes: hashes, strong: entity || len(norms) > 1, entity: entity})
	}
	for _, e := range a.Entities {
		add(e.Name, e.Type == model.EntityPerson || e.Type == model.EntityOrg)
	}
	for _, k := range a.Keywords {
		add(k, false)
	}
	if len(out) > 16 {
		out = out[:16]
	}
	return out
}

// shared scores what b shares with the features: 2 for a strong feature,
// 1 for another; strong reports whether any strong one is shared.
func (s *Service) shared(feats []feature, b model.Article) (score int, strong bool) {
	return sharedTerms(feats, s.terms(b))
}

// sharedTerms scores what the term set of an article shares with the
// features (Service.shared).
func sharedTerms(feats []feature, terms termSet) (score int, strong bool) {
	for _, f := range feats {
		all := true
		for _, h := range f.hashes {
			if !terms.has(h) {
				all = false
				break
			}
		}
		if !all {
			continue
		}
		if f.strong {
			score += 2
			strong = true
		} else {
			score++
		}
	}
	return score, strong
}
