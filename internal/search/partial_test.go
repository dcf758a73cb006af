package search

import (
	"context"
	"fmt"
	"testing"
	"time"

	"khabar/internal/analysis"
	"khabar/internal/entities"
	"khabar/internal/model"
	"khabar/internal/store/sqlite/sqlitetest"
)

// TestPartialFallback: when no article holds every word, interactive
// search falls back to those holding the most of them and says so; a
// search that does not allow it (alerts, counts, exports) stays empty.
func TestPartialFallback(t *testing.T) {
	ctx := context.Background()
	st := sqlitetest.Open(t)
	an := analysis.New(analysis.Options{Names: entities.BuiltinNames()})
	now := time.Date(2015, 8, 1, 0, 0, 0, 0, time.UTC)
	texts := []string{
		"افتتاح مهرجان التمور في بريدة",             // two of the three words
		"مهرجان الصيف يبدأ غدا",                     // one
		"أسعار النفط ترتفع",                         // none
		"افتتاح معرض الكتاب في الرياض بحضور الوزير", // none
	}
	ids := make([]int64, len(texts))
	for i, text := range texts {
		a := &model.Article{URL: fmt.Sprintf("https://example.com/%d", i), Title: text, Published: now}
		if _, err := st.SaveArticle(ctx, a, IndexText(an, a.Title, a.Text)); err != nil {
			t.Fatal(err)
		}
		ids[i] = a.ID
	}
	svc := New(st, an)
	q := "مهرجان التمور بالقصيم"
	res, err := svc.Search(ctx, Request{Query: q})
	if err != nil || res.Total != 0 || res.Partial {
		t.Fatalf("every word required: %+v, %v; want nothing", res, err)
	}
	res, err = svc.Search(ctx, Request{Query: q, AllowPartial: true})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Partial || res.Total != 0 || res.PartialTotal != 2 || len(res.Results) != 2 || res.Results[0].ID != ids[0] || res.Results[1].ID != ids[1] {
		t.Errorf("partial: %+v; want articles %d then %d, flagged partial", res, ids[0], ids[1])
	}
	// A full match is never flagged, and a one-word query has no partial.
	if res, err := svc.Search(ctx, Request{Query: "مهرجان التمور", AllowPartial: true}); err != nil || res.Partial || res.Total != 1 {
		t.Errorf("full match: %+v, %v", res, err)
	}
	if res, err := svc.Search(ctx, Request{Query: "بالقصيم", AllowPartial: true}); err != nil || res.Partial || res.Total != 0 {
		t.Errorf("one absent word: %+v, %v", res, err)
	}
}
