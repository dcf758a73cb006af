package search

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"khabar/internal/analysis"
	"khabar/internal/store"
)

// FormsVersionKey is the store setting that records the
// analysis.FormsVersion the store's full-text index was built with.
const FormsVersionKey = "search.forms_version"

// IndexStore is what EnsureIndex needs from a store.
type IndexStore interface {
	store.Settings
	store.TextIndexer
	CountArticles(ctx context.Context) (int, error)
}

// EnsureIndex is the migration of the search index: when the store's index
// was built with other rules for the forms of a word than an's
// (analysis.FormsVersion; a store from before versions were recorded
// counts as version 1), it rebuilds the title and body forms of every
// stored article with an, so that queries, analysed with an, find what the
// articles hold. It then records the version. It returns how many articles
// were reindexed: 0 when the index was current. A store without articles
// only records the version.
func EnsureIndex(ctx context.Context, st IndexStore, an *analysis.Analyzer) (int, error) {
	want := strconv.Itoa(analysis.FormsVersion)
	got, err := st.GetSetting(ctx, FormsVersionKey)
	switch {
	case errors.Is(err, store.ErrNotFound):
		got = "1"
	case err != nil:
		return 0, fmt.Errorf("search: index version: %w", err)
	}
	if got == want {
		return 0, nil
	}
	n := 0
	if count, err := st.CountArticles(ctx); err != nil {
		return 0, fmt.Errorf("search: index version: %w", err)
	} else if count > 0 {
		n, err = st.ReindexText(ctx, func(title, text string) store.IndexData {
			return IndexText(an, title, text)
		})
		if err != nil {
			return n, fmt.Errorf("search: reindex from forms version %s to %s: %w", got, want, err)
		}
	}
	if err := st.SetSetting(ctx, FormsVersionKey, want); err != nil {
		return n, fmt.Errorf("search: index version: %w", err)
	}
	return n, nil
}

// IndexText returns the title and body forms of an article as the indexer
// makes them (package ingest analyses the same trimmed title and text).
func IndexText(an *analysis.Analyzer, title, text string) store.IndexData {
	var idx store.IndexData
	idx.TitleTerms, idx.TitleStems = an.IndexForms(strings.TrimSpace(title))
	idx.BodyTerms, idx.BodyStems = an.IndexForms(strings.TrimSpace(text))
	return idx
}
