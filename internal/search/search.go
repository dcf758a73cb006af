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
	"khabar/internal/plaintext"
	"khabar/internal/store"
)

// Request is one search.
type Request struct {
	Query     string
	SourceIDs []int64
	Limit     int // 0 means 20; at most 100
	Offset    int
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
	Total   int      `json:"total"`
	// Partial is true when no article matched every word and the results
	// match only some of them (Request.AllowPartial).
	Partial bool `json:"partial"`
}

// Backend is what search needs from a store.
type Backend interface {
	store.Searcher
	GetArticle(ctx context.Context, id int64) (model.Article, error)
}

// Service runs searches and finds related reading.
type Service struct {
	st Backend
	an *analysis.Analyzer
}

// New returns a Service over st, analysing queries with an (which must be
// the analyzer the articles were indexed with).
func New(st Backend, an *analysis.Analyzer) *Service {
	return &Service{st: st, an: an}
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
		Limit:     req.Limit,
		Offset:    req.Offset,
	}
	hits, total, err := s.st.SearchText(ctx, tq)
	if err != nil {
		return Results{}, fmt.Errorf("search: %w", err)
	}
	partial := false
	if total == 0 && req.AllowPartial && len(q.Clauses) > 1 {
		// No article holds every word: those that hold the most of them,
		// and the rarest, score highest (BM25 adds up the words matched).
		tq.Any = true
		if hits, total, err = s.st.SearchText(ctx, tq); err != nil {
			return Results{}, fmt.Errorf("search: partial: %w", err)
		}
		partial = total > 0
	}
	// Loading each hit and cutting its snippet are independent: they run
	// side by side, which halves a page's latency on two cores.
	out := Results{Results: make([]Result, len(hits)), Total: total, Partial: partial}
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
// stories: never a copy or another version of a itself. Candidates come from
// a search for any of a's keywords and entity names, published within
// RelatedWindow of a. Each candidate is then scored by what it shares with
// a: a person, an organisation or a multi-word keyphrase counts 2, a place
// or a single word 1 (a country is shared by too much news to make two
// articles related). A candidate needs a score of at least 3 with at least
// one strong feature, and half the best candidate's score, so a single
// loose word never makes an article related. The most related come first,
// the most recent among equals.
func (s *Service) Related(ctx context.Context, a model.Article, limit int) ([]model.ArticleRef, error) {
	if limit <= 0 {
		limit = 5
	}
	feats := s.features(a)
	if len(feats) == 0 {
		return []model.ArticleRef{}, nil
	}
	var clauses []store.Clause
	for _, f := range feats {
		clauses = append(clauses, store.Clause{Exact: f.norms})
	}
	exclude := []int64{a.ID}
	if a.DuplicateOf != 0 {
		exclude = append(exclude, a.DuplicateOf)
	}
	q := store.TextQuery{
		Clauses:      clauses,
		Any:          true,
		ExcludeIDs:   exclude,
		ExcludeStory: a.StoryID,
		Limit:        limit * 5,
	}
	if !a.Published.IsZero() {
		q.Since = a.Published.Add(-RelatedWindow)
	}
	hits, _, err := s.st.SearchText(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("search: related to %d: %w", a.ID, err)
	}
	type cand struct {
		b     model.Article
		score int
	}
	var cands []cand
	best := 0
	seenTitle := map[string]bool{strings.TrimSpace(a.Title): true}
	for _, h := range hits {
		b, err := s.st.GetArticle(ctx, h.ID)
		if err != nil {
			return nil, fmt.Errorf("search: related hit %d: %w", h.ID, err)
		}
		switch {
		case b.DuplicateOf == a.ID, a.DuplicateOf != 0 && (b.DuplicateOf == a.DuplicateOf || b.ID == a.DuplicateOf),
			a.StoryID != 0 && b.StoryID == a.StoryID,
			a.ContentHash != "" && b.ContentHash == a.ContentHash,
			!a.Published.IsZero() && !b.Published.IsZero() && b.Published.Sub(a.Published) > RelatedWindow:
			continue
		}
		t := strings.TrimSpace(b.Title)
		if seenTitle[t] {
			continue
		}
		score, strong := s.shared(feats, b)
		if score < 3 || !strong {
			continue
		}
		seenTitle[t] = true
		cands = append(cands, cand{b, score})
		best = max(best, score)
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].score != cands[j].score {
			return cands[i].score > cands[j].score
		}
		return cands[i].b.Published.After(cands[j].b.Published)
	})
	out := []model.ArticleRef{}
	for _, c := range cands {
		if len(out) >= limit || 2*c.score < best {
			break
		}
		b := c.b
		out = append(out, model.ArticleRef{
			ID: b.ID, URL: b.URL, Title: b.Title, Source: b.DisplaySource(),
			Published: b.Published, Excerpt: plaintext.Excerpt(b.Text, 200),
		})
	}
	return out, nil
}

// relatedTextRunes is how much of a candidate's text is read to score it.
const relatedTextRunes = 1500

// RelatedWindow is how far apart in time related reading may be.
const RelatedWindow = 180 * 24 * time.Hour

type feature struct {
	norms  []string
	strong bool // a person, an organisation or a multi-word phrase
}

// features are a's entity names and keywords, analysed as the index is.
func (s *Service) features(a model.Article) []feature {
	var out []feature
	seen := map[string]bool{}
	add := func(text string, strong bool) {
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
		out = append(out, feature{norms: norms, strong: strong || len(norms) > 1})
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
	// The candidate's title, its opening and its tags say what it is
	// about; analysing only those keeps related reading cheap.
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
	terms := make(map[string]bool, len(toks))
	for _, t := range toks {
		if t.Norm != "" {
			terms[t.Norm] = true
		}
	}
	for _, f := range feats {
		all := true
		for _, n := range f.norms {
			if !terms[n] {
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
