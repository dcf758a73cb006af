package extract

import (
	"bytes"
	"sync/atomic"
	"testing"

	trafilatura "github.com/markusmobius/go-trafilatura"
)

// BenchmarkExtract runs Extract over the 181 benchmark pages, decompressed
// beforehand; one op is one page. Compare with
// BenchmarkPlainTrafilatura in the same run.
func BenchmarkExtract(b *testing.B) {
	pages := loadBenchmark(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		pg := pages[i%len(pages)]
		i++
		if _, err := Extract(pg.html, pg.url, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlainTrafilatura is go-trafilatura as its benchmark runs it
// (fallback on, comments excluded), page after page.
func BenchmarkPlainTrafilatura(b *testing.B) {
	pages := loadBenchmark(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		pg := pages[i%len(pages)]
		i++
		_, _ = trafilatura.Extract(bytes.NewReader(pg.html), trafilatura.Options{
			EnableFallback:  true,
			ExcludeComments: true,
			OriginalURL:     mustURL(pg.url),
		})
	}
}

// BenchmarkPlainTrafilaturaNoFallback is go-trafilatura with its defaults.
func BenchmarkPlainTrafilaturaNoFallback(b *testing.B) {
	pages := loadBenchmark(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		pg := pages[i%len(pages)]
		i++
		_, _ = trafilatura.Extract(bytes.NewReader(pg.html), trafilatura.Options{
			ExcludeComments: true,
			OriginalURL:     mustURL(pg.url),
		})
	}
}

// BenchmarkExtractParallel runs Extract on every core (GOMAXPROCS
// goroutines), as `khabar extract` does over many files.
func BenchmarkExtractParallel(b *testing.B) {
	pages := loadBenchmark(b)
	b.ReportAllocs()
	var next atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			pg := pages[int(next.Add(1))%len(pages)]
			if _, err := Extract(pg.html, pg.url, Options{}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
