package postgres

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"khabar/internal/model"
	"khabar/internal/store"
)

// TestSearchWindow: a query matching more articles than matchWindow ranks
// only the newest matchWindow of them (the best match stored first does not
// come back) and counts them all; below the window nothing changes.
func TestSearchWindow(t *testing.T) {
	defer func(w int) { matchWindow = w }(matchWindow)
	s := openTemp(t)
	defer s.Close()
	ctx := t.Context()
	day := time.Date(2025, 1, 1, 8, 0, 0, 0, time.UTC)
	var ids []int64
	for i := range 8 {
		// The first article says نفط most: the best match by relevance.
		body := "نفط " + strings.Repeat("سوق ", 30)
		if i == 0 {
			body = strings.Repeat("نفط ", 20)
		}
		a := &model.Article{URL: fmt.Sprintf("https://example.com/%d", i), Title: "خبر", Text: body,
			Published: day.Add(time.Duration(i) * time.Hour), SourceName: "المصدر", Language: "ar"}
		if _, err := s.SaveArticle(ctx, a, store.IndexData{TitleTerms: "خبر", TitleStems: "خبر", BodyTerms: body, BodyStems: body}); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	search := func(q store.TextQuery) ([]store.Hit, int) {
		t.Helper()
		q.Clauses = []store.Clause{{Exact: []string{"نفط"}}}
		hits, total, err := s.SearchText(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return hits, total
	}
	hits, total := search(store.TextQuery{Limit: 2})
	if total != 8 || len(hits) != 2 || hits[0].ID != ids[0] {
		t.Fatalf("window above the matches: hits %+v of %d; want 2 of 8, article %d first", hits, total, ids[0])
	}
	// Past the last page the window gives no row to read the total from.
	hits, total = search(store.TextQuery{Limit: 2, Offset: 8})
	if total != 8 || len(hits) != 0 {
		t.Fatalf("past the last page: hits %+v of %d; want none of 8", hits, total)
	}
	matchWindow = 3
	hits, total = search(store.TextQuery{Limit: 2})
	if total != 8 {
		t.Errorf("total = %d with a window of 3, want every match (8) counted", total)
	}
	if len(hits) != 2 {
		t.Fatalf("hits %+v, want 2", hits)
	}
	for _, h := range hits {
		if h.ID < ids[5] {
			t.Errorf("hit %d is not among the newest 3 matches %v", h.ID, ids[5:])
		}
	}
	// ExcludeIDs keeps the window, over the matches left; the count is
	// spared when it is not wanted.
	hits, total = search(store.TextQuery{Limit: 3, NoTotal: true, ExcludeIDs: []int64{ids[7]}})
	if got := hitIDs(hits); total != 0 || !slices.Equal(got, ids[4:7]) {
		t.Errorf("no total, article %d left out: hits %v of %d; want %v of 0", ids[7], got, total, ids[4:7])
	}
	// The window grows to hold the page asked for.
	hits, total = search(store.TextQuery{Limit: 2, Offset: 3})
	if got := hitIDs(hits); total != 8 || len(got) != 2 || got[0] < ids[3] {
		t.Errorf("page past the window: hits %v of %d; want 2 of 8 among %v", got, total, ids[3:])
	}
	// Around a time alone the newest need not be the best: no window.
	hits, total = search(store.TextQuery{Limit: 2, Around: day})
	if total != 8 || len(hits) != 2 || hits[0].ID != ids[0] {
		t.Errorf("around a time: hits %+v of %d; want 2 of 8, article %d first", hits, total, ids[0])
	}
	// Around an article (related reading): the window is centred on it,
	// half before (the article itself included) and half after.
	matchWindow = 4
	hits, _ = search(store.TextQuery{Limit: 4, Around: day.Add(3 * time.Hour), AroundID: ids[3]})
	if got := hitIDs(hits); !slices.Equal(got, ids[2:6]) {
		t.Errorf("around article %d: hits %v, want %v", ids[3], got, ids[2:6])
	}
}

// hitIDs is the ids of the hits, in id order.
func hitIDs(hits []store.Hit) []int64 {
	var ids []int64
	for _, h := range hits {
		ids = append(ids, h.ID)
	}
	slices.Sort(ids)
	return ids
}
