package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"khabar/internal/corpus"
	"khabar/internal/entities"
	"khabar/internal/ingest"
	"khabar/internal/model"
	"khabar/internal/sharedtest"
)

// peakRSS is this process's peak resident memory in bytes (VmHWM).
func peakRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// BenchmarkImportSaudiNewsNet imports the 31,030 SaudiNewsNet articles,
// with the whole analysis, into a fresh store, and reports articles per
// second and the process's peak memory. Run it alone:
//
//	go test -run '^$' -bench ImportSaudiNewsNet -benchtime 1x ./internal/cli
//
// KHABAR_BENCH_IMPORT=<folder> imports that folder instead (a few of the
// zips, to profile quickly); articles/s then counts what was imported.
//
// The import engine alone is measured: the related-reading pass that ends
// an import is left out (--related=false), unless KHABAR_BENCH_RELATED=1,
// which runs it too and reports its time apart (related-s, with
// articles/s then counting the whole import).
func BenchmarkImportSaudiNewsNet(b *testing.B) {
	zips := os.Getenv("KHABAR_BENCH_IMPORT")
	if zips == "" {
		zips = sharedtest.Path(b, "corpora", "saudinewsnet", "zips")
	}
	related := os.Getenv("KHABAR_BENCH_RELATED") == "1"
	for b.Loop() {
		data := b.TempDir()
		start := time.Now()
		var out strings.Builder
		code := Run(context.Background(), []string{"--data", data, "import", fmt.Sprintf("--related=%t", related), zips},
			[]string{"KHABAR_LOG_LEVEL=error"}, strings.NewReader(""), &out, io.Discard)
		if code != 0 {
			b.Fatalf("import exited %d", code)
		}
		el := time.Since(start)
		var n int
		if _, err := fmt.Sscanf(out.String(), "imported %d articles", &n); err != nil {
			b.Fatalf("import said %q: %v", out.String(), err)
		}
		b.ReportMetric(float64(n)/el.Seconds(), "articles/s")
		if related {
			_, rest, _ := strings.Cut(out.String(), "related reading in ")
			d, err := time.ParseDuration(strings.TrimSpace(rest))
			if err != nil {
				b.Fatalf("import said %q: %v", out.String(), err)
			}
			b.ReportMetric(d.Seconds(), "related-s")
		}
		b.ReportMetric(float64(peakRSS())/(1<<20), "peak-MiB")
		if st, err := os.Stat(filepath.Join(data, "khabar.db")); err == nil {
			b.ReportMetric(float64(st.Size())/(1<<20), "db-MiB")
		}
	}
}

// BenchmarkPrepareSaudiNewsNet runs the whole analysis of an import
// (Pipeline.Prepare, without a store's phrase frequencies) over the first
// 2,000 articles of one SaudiNewsNet day on one goroutine: the per-article
// CPU cost the import spreads over the cores, measured with less noise
// than the import as a whole. It runs with the default recognizer and with
// the rules alone; the difference is the tagger's cost, and its share of
// the default's is the most the tagger can slow an import (which also
// writes the store):
//
//	go test -run '^$' -bench PrepareSaudiNewsNet -benchtime 1x -cpu 1 ./internal/cli
func BenchmarkPrepareSaudiNewsNet(b *testing.B) {
	zip := sharedtest.Path(b, "corpora", "saudinewsnet", "zips", "2015-07-21.zip")
	records := make(chan corpus.Item, 64)
	go func() {
		defer close(records)
		corpus.ReadFile(context.Background(), zip, records)
	}()
	var arts []model.Article
	for r := range records {
		if r.Err != nil {
			b.Fatal(r.Err)
		}
		if a, err := r.Record.Article(); err == nil && len(arts) < 2000 {
			arts = append(arts, *a)
		}
	}
	a := &app{}
	an, rec, err := a.analysis(context.Background(), nil)
	if err != nil {
		b.Fatal(err)
	}
	// the recognizer the import runs, and the rules alone (the recognizer
	// before the tagger): the difference is the tagger's cost
	for _, bc := range []struct {
		name string
		rec  *entities.Recognizer
	}{
		{"default", rec},
		{"rules", entities.New(entities.Options{Mode: entities.ModeRules | entities.ModeSurnames})},
	} {
		b.Run(bc.name, func(b *testing.B) {
			p := ingest.NewPipeline(nil, an, bc.rec, ingest.PipelineConfig{})
			cpu0 := processCPU()
			for b.Loop() {
				for i := range arts {
					art := arts[i]
					if _, err := p.Prepare(context.Background(), &art); err != nil {
						b.Fatal(err)
					}
				}
			}
			n := float64(b.N * len(arts))
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n/1e3, "µs/article")
			b.ReportMetric(float64((processCPU()-cpu0).Nanoseconds())/n/1e3, "cpu-µs/article")
		})
	}
}
