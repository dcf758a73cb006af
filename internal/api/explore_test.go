package api_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"khabar/internal/analysis"
	"khabar/internal/api"
	"khabar/internal/model"
	"khabar/internal/search"
	"khabar/internal/store/sqlite"
)

// exploreAPI serves the API over a SQLite store of 60 articles: three
// outlets (two with profiles), over 20 days.
func exploreAPI(t *testing.T) (*api.Config, func(string) (int, string)) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for _, o := range []model.Outlet{{Key: "okaz", NameAR: "عكاظ", Country: "SA", Kind: "private"}, {Key: "ahram", NameAR: "الأهرام", Country: "EG", Kind: "state"}} {
		if err := st.SaveOutlet(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	src := &model.Source{URL: "https://okaz.example/feed", Title: "عكاظ", Outlet: model.Outlet{Key: "okaz"}}
	if err := st.AddSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	an := analysis.New(analysis.Options{})
	texts := []string{"ارتفاع أسعار النفط", "النفط والذهب في الأسواق", "مباراة الهلال والنصر"}
	base := time.Date(2016, 1, 4, 8, 0, 0, 0, time.UTC)
	for i := range 60 {
		a := &model.Article{URL: fmt.Sprintf("https://example.com/%d", i), Title: texts[i%3], Text: texts[i%3] + " اليوم.",
			Published: base.Add(time.Duration(i) * 8 * time.Hour), Keywords: []string{"طاقة"},
			Entities: []model.Entity{{Name: "أرامكو", Type: model.EntityOrg}}}
		switch i % 4 {
		case 0, 1:
			a.SourceID, a.SourceName, a.Outlet = src.ID, "عكاظ", "okaz"
		case 2:
			a.Outlet, a.SourceName = "ahram", "ahram"
		default:
			a.SourceName = "مدونة"
		}
		if _, err := st.SaveArticle(ctx, a, search.IndexText(an, a.Title, a.Text)); err != nil {
			t.Fatal(err)
		}
	}
	svc := search.New(st, an)
	cfg := &api.Config{Store: st, Search: svc, Explore: svc}
	h, err := api.New(*cfg)
	if err != nil {
		t.Fatal(err)
	}
	return cfg, func(target string) (int, string) {
		w := do(t, h, "GET", target, "")
		return w.Code, w.Body.String()
	}
}

// TestAttentionAPI: the answer has the documented shape, and its numbers
// agree with one another, with the search total and with the CSV rows.
func TestAttentionAPI(t *testing.T) {
	_, get := exploreAPI(t)
	for _, filters := range []string{"", "&source=okaz", "&from=2016-01-06&to=2016-01-12&tz=Asia/Riyadh", "&country=EG&interval=week", "&kind=private&tag=طاقة&entity=أرامكو&interval=month"} {
		for _, q := range []string{"النفط", "الهلال", "النفط الذهب"} {
			qs := "q=" + url.QueryEscape(q) + filters
			code, body := get("/api/v1/attention?" + qs)
			if code != 200 {
				t.Fatalf("%s: %d %s", qs, code, body)
			}
			var raw map[string]json.RawMessage
			json.Unmarshal([]byte(body), &raw)
			var keys []string
			for k := range raw {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			if want := []string{"by_country", "by_source", "query", "series", "top_entities", "top_tags", "total"}; !slices.Equal(keys, want) {
				t.Fatalf("%s: keys %v, want %v", qs, keys, want)
			}
			var a struct {
				Query  string
				Total  int
				Series []struct {
					Date  string
					Count int
					Share float64
				}
				BySource []struct {
					Source   string
					SourceID *int64 `json:"source_id"`
					Count    int
				} `json:"by_source"`
				ByCountry []struct {
					Country string
					Count   int
				} `json:"by_country"`
				TopEntities []map[string]any `json:"top_entities"`
				TopTags     []struct {
					Tag   string
					Count int
				} `json:"top_tags"`
			}
			if err := json.Unmarshal([]byte(body), &a); err != nil {
				t.Fatal(err)
			}
			sum, bySrc := 0, 0
			for _, p := range a.Series {
				sum += p.Count
				if _, err := time.Parse("2006-01-02", p.Date); err != nil || p.Share < 0 || p.Share > 1 {
					t.Errorf("%s: point %+v", qs, p)
				}
			}
			for _, s := range a.BySource {
				bySrc += s.Count
			}
			_, sb := get("/api/v1/search?" + qs)
			var sr struct{ Total int }
			json.Unmarshal([]byte(sb), &sr)
			code, csvBody := get("/api/v1/search.csv?" + strings.Replace(strings.Replace(qs, "&interval=week", "", 1), "&interval=month", "", 1))
			recs, err := csv.NewReader(strings.NewReader(csvBody)).ReadAll()
			if code != 200 || err != nil {
				t.Fatalf("%s: csv %d %v %s", qs, code, err, csvBody)
			}
			if a.Query != q || sum != a.Total || bySrc != a.Total || sr.Total != a.Total || len(recs)-1 != a.Total {
				t.Errorf("%s: total %d, series sum %d, by_source %d, search total %d, csv rows %d", qs, a.Total, sum, bySrc, sr.Total, len(recs)-1)
			}
			if want := map[string]int{"النفط": 40, "الهلال": 20, "النفط الذهب": 20}[q]; filters == "" && a.Total != want {
				t.Errorf("%s: total %d, want %d", qs, a.Total, want)
			}
			if filters == "" && q == "النفط" {
				if len(a.TopTags) != 1 || a.TopTags[0].Tag != "طاقة" || a.TopTags[0].Count != 40 || len(a.TopEntities) != 1 || a.TopEntities[0]["name"] != "أرامكو" {
					t.Errorf("%s: top tags %+v, entities %+v", qs, a.TopTags, a.TopEntities)
				}
				for _, s := range a.BySource {
					if (s.Source == "عكاظ") != (s.SourceID != nil) {
						t.Errorf("%s: by_source %+v: only okaz's articles come from one source", qs, s)
					}
				}
				if len(a.ByCountry) != 2 {
					t.Errorf("%s: by_country %+v", qs, a.ByCountry)
				}
				// 20 days at 3 articles a day, two in three about oil.
				if len(a.Series) != 20 || a.Series[0].Date != "2016-01-04" {
					t.Errorf("%s: series %+v", qs, a.Series)
				}
			}
		}
	}
	// Two queries side by side, over the same intervals.
	code, body := get("/api/v1/attention?q=" + url.QueryEscape("النفط") + "&q=" + url.QueryEscape("الهلال"))
	var two struct {
		Queries []struct {
			Query  string
			Total  int
			Series []struct{ Date string }
		}
	}
	if err := json.Unmarshal([]byte(body), &two); code != 200 || err != nil || len(two.Queries) != 2 ||
		two.Queries[0].Query != "النفط" || two.Queries[1].Query != "الهلال" ||
		!reflect.DeepEqual(two.Queries[0].Series, two.Queries[1].Series) || two.Queries[0].Total != 40 {
		t.Errorf("two queries: %d %v %.300s", code, err, body)
	}
	// Errors name their parameter.
	for target, param := range map[string]string{
		"/api/v1/attention":                                                "q",
		"/api/v1/attention?q=x&interval=year":                              "interval",
		"/api/v1/attention?q=x&from=yesterday":                             "from",
		"/api/v1/attention?q=x&tz=Mars/Base":                               "tz",
		"/api/v1/attention?q=a&q=b&q=c&q=d&q=e&q=f":                        "q",
		"/api/v1/attention?q=x&from=2016-01-01&interval=day&to=2030-01-01": "interval",
		"/api/v1/search.csv":                                               "q",
		"/api/v1/search.csv?q=x&country=Saudi":                             "country",
		"/api/v1/search?q=x&kind=tabloid":                                  "kind",
	} {
		code, body := get(target)
		if code != 400 || !strings.Contains(body, `"bad_request"`) || !strings.Contains(body, param) {
			t.Errorf("%s: %d %s; want 400 naming %s", target, code, body, param)
		}
	}
}

// TestAttentionAPIWithoutExplorer: a server given no Explorer says so.
func TestAttentionAPIWithoutExplorer(t *testing.T) {
	cfg, _ := exploreAPI(t)
	cfg.Explore = nil
	h, err := api.New(*cfg)
	if err != nil {
		t.Fatal(err)
	}
	if w := do(t, h, "GET", "/api/v1/attention?q=x", ""); w.Code != 501 {
		t.Errorf("attention without an explorer: %d", w.Code)
	}
}
