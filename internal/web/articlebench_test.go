package web

import (
	"context"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"khabar/internal/model"
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
	st := openBenchStore(b)
	ctx := context.Background()
	var ids []int64
	err := st.EachArticle(ctx, func(a *model.Article) error {
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
	var with atomic.Int64 // pages that came with related reading
	servePages(b, s, func(i int) string { return "/articles/" + strconv.FormatInt(ids[i%len(ids)], 10) }, func(body string) {
		if strings.Contains(body, `id="rel-h"`) {
			with.Add(1)
		}
	})
	b.ReportMetric(float64(len(ids)), "articles")
	b.ReportMetric(float64(with.Load())/float64(b.N), "with-related")
	if b.N > len(ids) {
		b.Logf("%d pages of %d articles: some came from the page cache", b.N, len(ids))
	}
}
