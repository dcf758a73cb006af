package cli

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"khabar/internal/config"
	"khabar/internal/model"
	"khabar/internal/search"
	"khabar/internal/sharedtest"
)

// BenchmarkRelatedSaudiNewsNet measures the related-reading pass that ends
// an import (relateAll) over a store holding SaudiNewsNet (31,030
// articles): each round computes and stores the related reading of 1,000
// articles in the middle of the corpus, in the store's order, as the pass at the end of an import
// into an empty store does (every article imported gets its own list, so
// none is offered to another's). It reports the CPU time (user and system, every
// goroutine) and the wall time per article:
//
//	go test -run '^$' -bench RelatedSaudiNewsNet -benchtime 1x ./internal/cli
//
// KHABAR_BENCH_DATA names a data folder to reuse between runs (filled on
// the first run by an import without the related pass, as for
// BenchmarkSearchAPI). The pass writes the lists it computes into that
// store; a rerun replaces them with the same lists.
func BenchmarkRelatedSaudiNewsNet(b *testing.B) {
	zips := sharedtest.Path(b, "corpora", "saudinewsnet", "zips")
	ctx := context.Background()
	data := os.Getenv("KHABAR_BENCH_DATA")
	if data == "" {
		data = b.TempDir()
	}
	if _, err := os.Stat(filepath.Join(data, "khabar.db")); err != nil {
		if code := Run(ctx, []string{"--data", data, "import", "--related=false", zips}, []string{"KHABAR_LOG_LEVEL=error"},
			strings.NewReader(""), io.Discard, io.Discard); code != 0 {
			b.Fatalf("import exited %d", code)
		}
	}
	cfg := config.Default()
	cfg.DataDir = data
	a := newApp(cfg, strings.NewReader(""), io.Discard, io.Discard)
	defer a.close()
	st, err := a.store(ctx)
	if err != nil {
		b.Fatal(err)
	}
	an, _, err := a.analysis(ctx, st)
	if err != nil {
		b.Fatal(err)
	}
	var all []int64
	if err := st.EachArticle(ctx, func(art *model.Article) error {
		all = append(all, art.ID)
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	const n = 1000
	if len(all) < n {
		b.Fatalf("the store holds %d articles, want at least %d", len(all), n)
	}
	// A run of articles in the store's order, as the import's pass takes
	// them: neighbours in time are one another's candidates.
	ids := all[len(all)/2-n/2 : len(all)/2+n/2]
	// As in the pass at the end of an import into an empty store: every
	// article gets its own list, none is offered to another's.
	imported := make(map[int64]bool, len(all))
	for _, id := range all {
		imported[id] = true
	}
	cpu0 := processCPU()
	start := time.Now()
	rounds := 0
	for b.Loop() {
		if err := relatePass(ctx, search.New(st, an), st, ids, imported, nil); err != nil {
			b.Fatal(err)
		}
		rounds++
	}
	wall := time.Since(start)
	cpu := processCPU() - cpu0
	per := float64(rounds * n)
	b.ReportMetric(float64(cpu.Microseconds())/1000/per, "cpu-ms/article")
	b.ReportMetric(float64(wall.Microseconds())/1000/per, "ms/article")
	linked := 0
	for _, id := range ids {
		if links, ok, err := st.GetRelated(ctx, id); err == nil && ok && len(links) > 0 {
			linked++
		}
	}
	b.ReportMetric(float64(linked)/n, "with-related")
}
