package api_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"khabar/internal/analysis"
	"khabar/internal/api"
	"khabar/internal/model"
	"khabar/internal/search"
	"khabar/internal/store/sqlite/sqlitetest"
)

// TestSearchPartial: /api/v1/search falls back to articles matching some
// of the words when none matches them all, and flags it.
func TestSearchPartial(t *testing.T) {
	ctx := context.Background()
	st := sqlitetest.Open(t)
	an := analysis.New(analysis.Options{})
	a := &model.Article{URL: "https://x.example/1", Title: "افتتاح مهرجان التمور في بريدة", Published: time.Now()}
	if _, err := st.SaveArticle(ctx, a, search.IndexText(an, a.Title, a.Text)); err != nil {
		t.Fatal(err)
	}
	h, err := api.New(api.Config{Store: st, Search: search.New(st, an)})
	if err != nil {
		t.Fatal(err)
	}
	m := decode(t, do(t, h, "GET", "/api/v1/search?q="+url.QueryEscape("مهرجان التمور بالقصيم"), ""), 200)
	if m["partial"] != true || m["total"].(float64) != 0 || m["partial_total"].(float64) != 1 || len(list(t, m, "results")) != 1 {
		t.Errorf("partial search = %v", m)
	}
	m = decode(t, do(t, h, "GET", "/api/v1/search?q="+url.QueryEscape("مهرجان التمور"), ""), 200)
	if m["partial"] != false || m["total"].(float64) != 1 {
		t.Errorf("full match = %v", m)
	}
}
