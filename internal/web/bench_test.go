package web

import (
	"context"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"khabar/internal/model"
	"khabar/internal/plaintext"
	"khabar/internal/search"
	"khabar/internal/sharedtest"
	"khabar/internal/store"
)

// BenchmarkArticlePage renders the reference article's page (its full text,
// three tags, entities, five related articles and a story of six versions)
// through the whole handler, on the SQLite store.
func BenchmarkArticlePage(b *testing.B) {
	text, err := os.ReadFile(sharedtest.Path(b, "reference", "aggregator-page.txt"))
	if err != nil {
		b.Fatal(err)
	}
	// The reference's article body: the lines between the dates and "المصدر:".
	lines := strings.Split(string(text), "\n")
	body := strings.Join(lines[3:9], "\n\n")
	// "gzip" is a reader whose browser accepts compressed pages (every
	// browser), the other a client that does not ask.
	for _, enc := range []string{"identity", "gzip"} {
		b.Run(enc, func(b *testing.B) {
			s, target := benchServer(b, lines, body)
			var size int
			for b.Loop() {
				w := httptest.NewRecorder()
				r := httptest.NewRequest("GET", target, nil)
				r.Header.Set("Accept-Encoding", enc)
				s.ServeHTTP(w, r)
				if w.Code != 200 {
					b.Fatalf("status %d", w.Code)
				}
				size = w.Body.Len()
			}
			b.ReportMetric(float64(size), "B/page")
		})
	}
}

// BenchmarkArticlePageParallel serves the article page to concurrent
// readers and reports the median and 99th-percentile latencies, on the
// SQLite store.
func BenchmarkArticlePageParallel(b *testing.B) {
	text, err := os.ReadFile(sharedtest.Path(b, "reference", "aggregator-page.txt"))
	if err != nil {
		b.Fatal(err)
	}
	lines := strings.Split(string(text), "\n")
	s, target := benchServer(b, lines, strings.Join(lines[3:9], "\n\n"))
	var mu sync.Mutex
	var all []time.Duration
	b.SetParallelism(4) // 8 readers on 2 cores
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			start := time.Now()
			w := httptest.NewRecorder()
			s.ServeHTTP(w, httptest.NewRequest("GET", target, nil))
			if w.Code != 200 {
				b.Errorf("status %d", w.Code)
				return
			}
			mine = append(mine, time.Since(start))
		}
		mu.Lock()
		all = append(all, mine...)
		mu.Unlock()
	})
	slices.Sort(all)
	if len(all) > 0 {
		b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
		b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
	}
}

// benchServer stores the reference article with five copies and five
// related articles and returns a portal over it and the article's path.
func benchServer(b *testing.B, lines []string, body string) (*Server, string) {
	b.Helper()
	ctx := context.Background()
	st := openStore(b)
	ref := model.Article{URL: "https://almustakillah.example/ref", SourceName: "المستقلة", Title: lines[0], Text: body,
		Published: time.Date(2024, 3, 2, 9, 0, 0, 0, time.UTC), Modified: time.Date(2024, 3, 2, 11, 0, 0, 0, time.UTC),
		Language: "ar", Agency: "وكالة الصحافة المستقلة", Keywords: []string{"التحالف الدولي", "قوات التحالف", "تنظيم داعش"},
		Entities: []model.Entity{{Name: "ألن مكاري", Type: "PERS", Mentions: []string{"مكاري"}}, {Name: "يحيى رسول", Type: "PERS"},
			{Name: "العراق", Type: "LOC"}, {Name: "سوريا", Type: "LOC"}, {Name: "بغداد", Type: "LOC"}, {Name: "قناة الحرة", Type: "ORG"}}}
	if _, err := st.SaveArticle(ctx, &ref, store.IndexData{}); err != nil {
		b.Fatal(err)
	}
	// Related reading comes precomputed: this benchmark measures the page,
	// not the search behind its related list.
	var rel fixedSearcher
	for i := range 5 {
		c := ref
		c.ID, c.URL, c.SourceName, c.DuplicateOf = 0, ref.URL+"/copy"+strconv.Itoa(i), "ناقل "+strconv.Itoa(i), ref.ID
		if _, err := st.SaveArticle(ctx, &c, store.IndexData{}); err != nil {
			b.Fatal(err)
		}
		r := model.Article{URL: "https://arabi.example/" + strconv.Itoa(i), SourceName: "عربي", Title: lines[12], Text: lines[13],
			Published: ref.Published.Add(-time.Duration(i+1) * time.Hour), Keywords: []string{"التحالف الدولي"}}
		if _, err := st.SaveArticle(ctx, &r, store.IndexData{}); err != nil {
			b.Fatal(err)
		}
		rel = append(rel, model.ArticleRef{ID: r.ID, URL: r.URL, Title: r.Title, Source: r.DisplaySource(),
			Published: r.Published, Excerpt: plaintext.Excerpt(r.Text, 200)})
	}
	s, err := New(Config{Store: st, Search: rel})
	if err != nil {
		b.Fatal(err)
	}
	return s, "/articles/" + strconv.FormatInt(ref.ID, 10)
}

// fixedSearcher answers Related with the same articles every time.
type fixedSearcher []model.ArticleRef

func (f fixedSearcher) Search(context.Context, search.Request) (search.Results, error) {
	return search.Results{}, nil
}

func (f fixedSearcher) Related(context.Context, model.Article, int) ([]model.ArticleRef, error) {
	return f, nil
}
