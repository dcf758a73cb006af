package search

import (
	"context"
	"fmt"
	"testing"
	"time"

	"khabar/internal/analysis"
	"khabar/internal/entities"
	"khabar/internal/model"
	"khabar/internal/store"
	"khabar/internal/store/sqlite"
)

// TestAttentionAgrees: for each filter, the series and the outlets sum to
// the total, which is the search total and the number of exported rows;
// each share is the count over every article of its interval.
func TestAttentionAgrees(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, o := range []model.Outlet{{Key: "okaz", NameAR: "عكاظ", Country: "SA", Kind: "private"}, {Key: "spa", NameAR: "واس", Country: "SA", Kind: "wire"}, {Key: "ahram", NameAR: "الأهرام", Country: "EG", Kind: "state"}} {
		if err := st.SaveOutlet(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	an := analysis.New(analysis.Options{Names: entities.BuiltinNames()})
	texts := []string{"ارتفاع أسعار النفط في الأسواق", "النفط والذهب", "مباراة الهلال والنصر", "وزير الطاقة يتحدث عن النفط", "الطقس غدا"}
	outlets := []string{"okaz", "spa", "ahram", ""}
	base := time.Date(2016, 1, 1, 6, 0, 0, 0, time.UTC)
	n := 0
	for d := range 40 {
		for k := range 3 + d%4 {
			text := texts[(d+k)%len(texts)]
			a := &model.Article{URL: fmt.Sprintf("https://example.com/%d", n), Title: text, Text: text,
				Published: base.Add(time.Duration(d)*24*time.Hour + time.Duration(k*5)*time.Hour), Outlet: outlets[(d*3+k)%4],
				SourceName: "مصدر", Keywords: []string{"طاقة"}}
			n++
			if _, err := st.SaveArticle(ctx, a, IndexText(an, a.Title, a.Text)); err != nil {
				t.Fatal(err)
			}
		}
	}
	svc := New(st, an)
	for _, tc := range []struct {
		raw      string
		interval string
	}{
		{"", ""},
		{"from=2016-01-05&to=2016-01-20", IntervalDay},
		{"from=2016-01-05&to=2016-01-20&tz=Asia/Riyadh", IntervalWeek},
		{"country=SA", IntervalMonth},
		{"source=ahram&kind=wire", ""},
		{"tag=طاقة&from=2016-01-10T12:00&tz=%2B05:00", IntervalDay},
		{"from=2015-12-01&to=2015-12-31", ""},
	} {
		f, loc, err := parseQuery(t, tc.raw)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"النفط", "نفط الاسواق", "الهلال"} {
			res, err := svc.Attention(ctx, AttentionRequest{Queries: []string{q}, Filter: f, Location: loc, Interval: tc.interval})
			if err != nil {
				t.Fatalf("%q %q: %v", q, tc.raw, err)
			}
			a := res.Queries[0]
			sr, err := svc.Search(ctx, Request{Query: q, Filter: f, AllowPartial: true})
			if err != nil {
				t.Fatal(err)
			}
			rows := 0
			if err := svc.Export(ctx, q, f, func(*store.MatchRow) error { rows++; return nil }); err != nil {
				t.Fatal(err)
			}
			sum, bySrc := 0, 0
			for _, p := range a.Series {
				sum += p.Count
				if p.Share < 0 || p.Share > 1 || (p.Count > 0) != (p.Share > 0) {
					t.Errorf("%q %q: point %+v", q, tc.raw, p)
				}
			}
			for _, o := range a.BySource {
				bySrc += o.Count
			}
			if sum != a.Total || bySrc != a.Total || sr.Total != a.Total || rows != a.Total {
				t.Errorf("%q %q: total %d, series sum %d, by source %d, search total %d, export rows %d", q, tc.raw, a.Total, sum, bySrc, sr.Total, rows)
			}
			if tc.raw == "" && a.Total == 0 {
				t.Errorf("%q: no matches at all", q)
			}
			// The share's denominator: every article of the interval under the filter.
			for i, p := range a.Series {
				end := time.Now().AddDate(100, 0, 0)
				if i+1 < len(a.Series) {
					end = a.Series[i+1].Start
				}
				g := f
				if g.Since.IsZero() || g.Since.Before(p.Start) {
					g.Since = p.Start
				}
				if g.Until.IsZero() || g.Until.After(end) {
					g.Until = end
				}
				all, err := st.Attention(ctx, store.TextQuery{Filter: g}, 1)
				if err != nil {
					t.Fatal(err)
				}
				if want := float64(p.Count) / float64(max(all.Total, 1)); i+1 < len(a.Series) && p.Share != want {
					t.Errorf("%q %q: point %d share %v, want %d/%d", q, tc.raw, i, p.Share, p.Count, all.Total)
				}
			}
		}
	}
	// Side by side: the same intervals for every query.
	res, err := svc.Attention(ctx, AttentionRequest{Queries: []string{"النفط", "الهلال"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Queries) != 2 || len(res.Queries[0].Series) != len(res.Queries[1].Series) || res.Interval != IntervalDay {
		t.Errorf("two queries: %+v", res)
	}
	if _, err := svc.Attention(ctx, AttentionRequest{Queries: []string{"a", "b", "c", "d", "e", "f"}}); !IsFilterError(err) {
		t.Errorf("six queries: %v, want a filter error", err)
	}
	if _, err := svc.Attention(ctx, AttentionRequest{Queries: []string{"النفط"}, Interval: "year"}); !IsFilterError(err) {
		t.Errorf("interval year: %v, want a filter error", err)
	}
	// Punctuation matches nothing, not everything.
	if res, err := svc.Attention(ctx, AttentionRequest{Queries: []string{"!!"}}); err != nil || res.Queries[0].Total != 0 {
		t.Errorf("punctuation: %+v, %v", res, err)
	}
	rows := 0
	if err := svc.Export(ctx, "!!", store.Filter{}, func(*store.MatchRow) error { rows++; return nil }); err != nil || rows != 0 {
		t.Errorf("export of punctuation: %d rows, %v", rows, err)
	}
}
