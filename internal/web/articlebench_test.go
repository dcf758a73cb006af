package web

import (
	"context"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"khabar/internal/model"
	"khabar/internal/store/sqlite"
)

// BenchmarkArticlePageCorpus serves the pages of a store's articles,
// picked at random over the whole store and each at most once per run (so
// no page comes from the page cache: a cold page each time), to
// concurrent readers, and reports the median and 99th-percentile
// latencies and the CPU per page. KHABAR_BENCH_DATA names a data folder
// that `khabar import` filled; without it the benchmark skips. With
// related reading stored (the import's default) a page reads it; a store
// imported with --related=false computes it on each view, and on a loaded
// server a page goes without it rather than wait (web/related.go):
// with-related is the share of pages that showed some.
//
//	KHABAR_BENCH_DATA=D go test -run '^$' -bench ArticlePageCorpus -benchtime 3000x ./internal/web
func BenchmarkArticlePageCorpus(b *testing.B) {
	dir := os.Getenv("KHABAR_BENCH_DATA")
	if dir == "" {
		b.Skip("KHABAR_BENCH_DATA names no data folder filled by khabar import")
	}
	ctx := context.Background()
	st, err := sqlite.Open(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	var ids []int64
	err = st.EachArticle(ctx, func(a *model.Article) error {
		ids = append(ids, a.ID)
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if len(ids) == 0 {
		b.Skip("no article in the store")
	}
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	s, err := New(Config{Store: st, Search: searcher(st)})
	if err != nil {
		b.Fatal(err)
	}
	var (
		mu   sync.Mutex
		all  []time.Duration
		n    atomic.Int64
		with atomic.Int64 // pages that came with related reading
	)
	b.SetParallelism(4) // 8 readers on 2 cores
	cpu0 := processCPU()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			id := ids[int(n.Add(1)-1)%len(ids)]
			start := time.Now()
			w := httptest.NewRecorder()
			s.ServeHTTP(w, httptest.NewRequest("GET", "/articles/"+strconv.FormatInt(id, 10), nil))
			if w.Code != 200 {
				b.Errorf("article %d: status %d", id, w.Code)
				return
			}
			mine = append(mine, time.Since(start))
			if strings.Contains(w.Body.String(), `id="rel-h"`) {
				with.Add(1)
			}
		}
		mu.Lock()
		all = append(all, mine...)
		mu.Unlock()
	})
	b.StopTimer()
	b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/page")
	slices.Sort(all)
	if len(all) > 0 {
		b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
		b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(len(ids)), "articles")
		b.ReportMetric(float64(with.Load())/float64(len(all)), "with-related")
	}
	if b.N > len(ids) {
		b.Logf("%d pages of %d articles: some came from the page cache", b.N, len(ids))
	}
}
