package search

import (
	"context"
	"fmt"
	"strings"
	"time"

	"khabar/internal/analysis"
	"khabar/internal/model"
	"khabar/internal/store"
)

// Request is one search.
type Request struct {
	Query     string
	SourceIDs []int64
	Limit     int // 0 means 20; at most 100
	Offset    int
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
	hits, total, err := s.st.SearchText(ctx, store.TextQuery{
		Clauses:   q.Clauses,
		SourceIDs: req.SourceIDs,
		Limit:     req.Limit,
		Offset:    req.Offset,
	})
	if err != nil {
		return Results{}, fmt.Errorf("search: %w", err)
	}
	out := Results{Results: make([]Result, 0, len(hits)), Total: total}
	for _, h := range hits {
		a, err := s.st.GetArticle(ctx, h.ID)
		if err != nil {
			return Results{}, fmt.Errorf("search: hit %d: %w", h.ID, err)
		}
		out.Results = append(out.Results, Result{
			ID:        a.ID,
			URL:       a.URL,
			Title:     a.Title,
			Snippet:   Snippet(s.an, a.Text, q, 240),
			Published: a.Published,
			Source:    a.SourceName,
			Score:     h.Score,
		})
	}
	return out, nil
}

// Related returns up to limit articles on a related subject from other
// stories: never a copy or another version of a itself. Candidates come from
// a search for any of a's keywords and entities; a candidate must then
// share at least two of them (one name or multi-word keyphrase is enough
// only when a has no more than two), so that a single loose word never
// makes an article related. The store's ranking puts relevant
// first and recent among the relevant.
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
	hits, _, err := s.st.SearchText(ctx, store.TextQuery{
		Clauses:      clauses,
		Any:          true,
		ExcludeIDs:   exclude,
		ExcludeStory: a.StoryID,
		Limit:        limit * 6,
	})
	if err != nil {
		return nil, fmt.Errorf("search: related to %d: %w", a.ID, err)
	}
	out := []model.ArticleRef{}
	seenTitle := map[string]bool{strings.TrimSpace(a.Title): true}
	for _, h := range hits {
		if len(out) >= limit {
			break
		}
		b, err := s.st.GetArticle(ctx, h.ID)
		if err != nil {
			return nil, fmt.Errorf("search: related hit %d: %w", h.ID, err)
		}
		if b.DuplicateOf == a.ID || (a.DuplicateOf != 0 && b.DuplicateOf == a.DuplicateOf) {
			continue
		}
		if a.StoryID != 0 && b.StoryID == a.StoryID {
			continue
		}
		if a.ContentHash != "" && b.ContentHash == a.ContentHash {
			continue
		}
		t := strings.TrimSpace(b.Title)
		if seenTitle[t] {
			continue
		}
		if !s.sharesEnough(feats, b) {
			continue
		}
		seenTitle[t] = true
		out = append(out, model.ArticleRef{
			ID: b.ID, URL: b.URL, Title: b.Title, Source: b.SourceName,
			Published: b.Published, Excerpt: excerpt(b.Text, 200),
		})
	}
	return out, nil
}

type feature struct {
	norms  []string
	strong bool // a name or a multi-word phrase
}

// features are a's keywords and entity names, analysed as the index is.
func (s *Service) features(a model.Article) []feature {
	var out []feature
	seen := map[string]bool{}
	add := func(text string, name bool) {
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
		out = append(out, feature{norms: norms, strong: name || len(norms) > 1})
	}
	for _, e := range a.Entities {
		add(e.Name, true)
	}
	for _, k := range a.Keywords {
		add(k, false)
	}
	if len(out) > 12 {
		out = out[:12]
	}
	return out
}

func (s *Service) sharesEnough(feats []feature, b model.Article) bool {
	terms := map[string]bool{}
	for _, t := range s.an.Analyze(b.Title + "\n" + b.Text) {
		if t.Norm != "" {
			terms[t.Norm] = true
		}
	}
	// Phrases are checked word by word: the analyzer's terms are single
	// words, and the store already required the phrase for its hit.
	shared, strong := 0, 0
	for _, f := range feats {
		all := true
		for _, n := range f.norms {
			if !terms[n] {
				all = false
				break
			}
		}
		if all {
			shared++
			if f.strong {
				strong++
			}
		}
	}
	return shared >= 2 || strong >= 1 && len(feats) <= 2
}

func excerpt(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	return truncate(text, n)
}
