package web

import (
	"context"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"khabar/internal/store"
	"khabar/internal/store/sqlite"
	"khabar/internal/storyinfo"
)

// processCPU is the user and system CPU time this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// openBenchStore opens the store KHABAR_BENCH_DATA names, or skips.
func openBenchStore(b *testing.B) *sqlite.Store {
	dir := os.Getenv("KHABAR_BENCH_DATA")
	if dir == "" {
		b.Skip("KHABAR_BENCH_DATA names no data folder filled by khabar import")
	}
	st, err := sqlite.Open(context.Background(), dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

// servePages serves page(i) for i = 0, 1, … to 8 concurrent readers for
// the benchmark's b.N pages, passes each page's body to seen, and reports
// the CPU a page costs this process (all its threads: a loaded machine
// does not inflate it the way it inflates latency) and the median and
// 99th-percentile latencies.
func servePages(b *testing.B, s *Server, page func(i int) string, seen func(body string)) {
	var (
		mu  sync.Mutex
		all []time.Duration
		n   atomic.Int64
	)
	b.SetParallelism(4) // 8 readers on 2 cores
	cpu0 := processCPU()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			path := page(int(n.Add(1) - 1))
			start := time.Now()
			w := httptest.NewRecorder()
			s.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
			if w.Code != 200 {
				b.Errorf("%s: status %d", path, w.Code)
				return
			}
			mine = append(mine, time.Since(start))
			seen(w.Body.String())
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
	}
}

// BenchmarkStoryPageCorpus serves the pages of a store's stories of three
// or more articles to concurrent readers and reports the median and
// 99th-percentile latencies and the CPU per page. KHABAR_BENCH_DATA names a data folder that
// `khabar import` filled (SaudiNewsNet: khabar --data DIR import
// ../shared/corpora/saudinewsnet/zips); without it the benchmark skips.
// The details each page shows are computed before the timing (as the
// refresh after an import does), so a view reads them.
func BenchmarkStoryPageCorpus(b *testing.B) {
	st := openBenchStore(b)
	ctx := context.Background()
	var ids []int64
	for off := 0; len(ids) < 500; off += 100 {
		page, _, err := st.ListStories(ctx, store.StoryFilter{Limit: 100, Offset: off})
		if err != nil {
			b.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, s := range page {
			if s.Articles >= 3 {
				ids = append(ids, s.ID)
			}
		}
	}
	if len(ids) == 0 {
		b.Skip("no story of three articles in the store")
	}
	// Details not refreshed yet (an import stopped early) are computed
	// first, as a refresh after the change would have.
	for _, id := range ids {
		if _, err := storyinfo.Story(ctx, st, id); err != nil {
			b.Fatal(err)
		}
	}
	s, err := New(Config{Store: st, Search: searcher(st)})
	if err != nil {
		b.Fatal(err)
	}
	servePages(b, s, func(i int) string { return "/stories/" + strconv.FormatInt(ids[(i+1)%len(ids)], 10) }, func(string) {})
	b.ReportMetric(float64(len(ids)), "stories")
}

// TestSummariesCiteOutletsCorpus measures, over a store `khabar import`
// filled (KHABAR_BENCH_DATA; skipped without it), the full-coverage
// issue's check on summaries: among the stories with a summary whose
// articles include independent write-ups (not copies) from two or more
// outlets, the share whose summary cites two or more outlets, which must
// be at least 80%.
func TestSummariesCiteOutletsCorpus(t *testing.T) {
	dir := os.Getenv("KHABAR_BENCH_DATA")
	if dir == "" {
		t.Skip("KHABAR_BENCH_DATA names no data folder filled by khabar import")
	}
	ctx := context.Background()
	st, err := sqlite.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var withSummary, eligible, cited int
	for off := 0; ; off += 100 {
		page, _, err := st.ListStories(ctx, store.StoryFilter{Limit: 100, Offset: off})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, s := range page {
			if s.Articles < 3 {
				continue
			}
			full, err := storyinfo.Story(ctx, st, s.ID)
			if err != nil {
				t.Fatal(err)
			}
			if full.Details == nil || len(full.Details.Summary) == 0 {
				continue
			}
			withSummary++
			independent := map[string]bool{}
			for _, m := range full.Members {
				a, err := st.GetArticle(ctx, m.ID)
				if err != nil {
					t.Fatal(err)
				}
				if a.DuplicateOf == 0 {
					independent[cmpOr(a.Outlet, a.SourceName)] = true
				}
			}
			if len(independent) < 2 {
				continue
			}
			eligible++
			sources := map[string]bool{}
			for _, sn := range full.Details.Summary {
				sources[sn.Source] = true
			}
			if len(sources) >= 2 {
				cited++
			}
		}
	}
	if eligible == 0 {
		t.Skip("no story with a summary and independent write-ups from two outlets in the store")
	}
	share := float64(cited) / float64(eligible)
	t.Logf("%d stories with a summary; %d with independent write-ups from 2+ outlets, of which %d (%.1f%%) cite 2+ outlets",
		withSummary, eligible, cited, 100*share)
	if share < 0.8 {
		t.Errorf("%.1f%% of summaries cite two or more outlets, want at least 80%%", 100*share)
	}
}
