package search

import (
	"context"

	"khabar/internal/model"
)

// Searcher is the search service the portal and the API query: Service
// implements it; they see only this interface, so that they can be tested
// with a fake.
type Searcher interface {
	// Search runs a user query and returns one page of results.
	Search(ctx context.Context, req Request) (Results, error)
	// Related returns up to limit articles on a related subject, never a
	// copy or another version of a itself, best first.
	Related(ctx context.Context, a model.Article, limit int) ([]model.ArticleRef, error)
}

var _ Searcher = (*Service)(nil)
