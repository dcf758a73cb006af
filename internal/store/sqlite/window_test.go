package sqlite

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"khabar/internal/model"
	"khabar/internal/store"
)

// TestSearchWindow: a query matching more articles than matchWindow scores
// only the newest matchWindow of them (the best match stored first does not
// come back) and counts them all; below the window nothing changes.
func TestSearchWindow(t *testing.T) {
	defer func(w int) { matchWindow = w }(matchWindow)
	ctx := t.Context()
	s, err := Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
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
	search := func() ([]store.Hit, int) {
		t.Helper()
		hits, total, err := s.SearchText(ctx, store.TextQuery{Clauses: []store.Clause{{Exact: []string{"نفط"}}}, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		return hits, total
	}
	hits, total := search()
	if total != 8 || len(hits) != 2 || hits[0].ID != ids[0] {
		t.Fatalf("window above the matches: hits %+v of %d; want 2 of 8, article %d first", hits, total, ids[0])
	}
	matchWindow = 3
	hits, total = search()
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
	// Around a time alone the newest need not be the best: no window.
	hits, _, err = s.SearchText(ctx, store.TextQuery{Clauses: []store.Clause{{Exact: []string{"نفط"}}}, Limit: 2, Around: day})
	if err != nil || len(hits) != 2 || hits[0].ID != ids[0] {
		t.Errorf("around a time: hits %+v, %v; want article %d first", hits, err, ids[0])
	}
	// Around an article (related reading): the window is centred on it,
	// half before (the article itself included) and half after.
	matchWindow = 4
	hits, _, err = s.SearchText(ctx, store.TextQuery{Clauses: []store.Clause{{Exact: []string{"نفط"}}}, Limit: 4,
		Around: day.Add(3 * time.Hour), AroundID: ids[3]})
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, h := range hits {
		got = append(got, h.ID)
	}
	slices.Sort(got)
	if !slices.Equal(got, ids[2:6]) {
		t.Errorf("around article %d: hits %v, want %v", ids[3], got, ids[2:6])
	}
}
