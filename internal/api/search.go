package api

import (
	"context"
	"time"

	"khabar/internal/model"
)

// Searcher is the search service the portal and the API query. The lead's
// internal/search implements it over a store capability; web and api see
// only this interface, so that they can be tested with a fake.
type Searcher interface {
	// Search runs a user query and returns one page of results.
	Search(ctx context.Context, q SearchRequest) (SearchResults, error)
	// Related returns up to limit articles on a related subject, never a
	// copy or another version of a itself, best first.
	Related(ctx context.Context, a model.Article, limit int) ([]model.ArticleRef, error)
}

// SearchRequest is one page of a user query.
type SearchRequest struct {
	Query     string
	SourceIDs []int64 // empty: every source
	Limit     int
	Offset    int
}

// SearchResults is one page of results and the number matching in all.
type SearchResults struct {
	Results []SearchResult
	Total   int
}

// SearchResult is one matching article.
type SearchResult struct {
	ID        int64
	URL       string
	Title     string
	Snippet   string // safe HTML: escaped text with <mark> around matches
	Source    string
	Published time.Time // zero when unknown
	Score     float64
}
