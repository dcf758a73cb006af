package cli

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"khabar/internal/api"
	"khabar/internal/config"
	"khabar/internal/search"
	"khabar/internal/sharedtest"
)

// benchAPI serves the API over SaudiNewsNet (31,030 articles), imported
// into KHABAR_BENCH_DATA when it holds no store yet (else a temporary
// folder), and returns its URL and the stored titles.
func benchAPI(b *testing.B, withTitles bool) (string, []string) {
	zips := sharedtest.Path(b, "corpora", "saudinewsnet", "zips")
	ctx := context.Background()
	data := os.Getenv("KHABAR_BENCH_DATA")
	if data == "" {
		data = b.TempDir()
	}
	if _, err := os.Stat(filepath.Join(data, "khabar.db")); err != nil {
		if code := Run(ctx, []string{"--data", data, "import", zips}, []string{"KHABAR_LOG_LEVEL=error"},
			strings.NewReader(""), io.Discard, io.Discard); code != 0 {
			b.Fatalf("import exited %d", code)
		}
	}
	cfg := config.Default()
	cfg.DataDir = data
	a := newApp(cfg, strings.NewReader(""), io.Discard, io.Discard)
	b.Cleanup(a.close)
	st, err := a.store(ctx)
	if err != nil {
		b.Fatal(err)
	}
	an, _, err := a.analysis(ctx, st)
	if err != nil {
		b.Fatal(err)
	}
	if n, err := st.CountArticles(ctx); err != nil || n < 31000 {
		b.Fatalf("the store holds %d articles (%v), want SaudiNewsNet's 31,030", n, err)
	}
	svc := search.New(st, an)
	h, err := api.New(api.Config{Store: st, Search: svc, Explore: svc})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(h)
	b.Cleanup(srv.Close)
	if !withTitles {
		return srv.URL, nil
	}
	titles, err := exportTitles(ctx, a)
	if err != nil {
		b.Fatal(err)
	}
	return srv.URL, titles
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkAttentionAPI measures 200 varied queries (those of
// BenchmarkSearchAPI) through GET /api/v1/attention over SaudiNewsNet, one
// at a time, a third of them with a filter and a weekly interval; it
// reports the 50th and 99th percentile latency and the processor time a
// query (server and client), which a loaded machine does not inflate:
//
//	go test -run '^$' -bench AttentionAPI -benchtime 3x ./internal/cli
func BenchmarkAttentionAPI(b *testing.B) {
	base, titles := benchAPI(b, true)
	queries := benchQueries(titles, 200, 7)
	var lat []time.Duration
	var totals int
	get := func(target string) {
		start := time.Now()
		resp, err := http.Get(target)
		if err != nil {
			b.Fatal(err)
		}
		var res struct {
			Total  int
			Series []struct{ Count int }
		}
		err = json.NewDecoder(resp.Body).Decode(&res)
		resp.Body.Close()
		lat = append(lat, time.Since(start))
		if resp.StatusCode != 200 || err != nil {
			b.Fatalf("%s: status %d, %v", target, resp.StatusCode, err)
		}
		sum := 0
		for _, p := range res.Series {
			sum += p.Count
		}
		if sum != res.Total {
			b.Fatalf("%s: series sums to %d, total %d", target, sum, res.Total)
		}
		totals += res.Total
	}
	cpu0 := cpuTime()
	for b.Loop() {
		for i, q := range queries {
			target := base + "/api/v1/attention?q=" + url.QueryEscape(q)
			switch i % 3 {
			case 1:
				target += "&interval=week&country=SA"
			case 2:
				target += "&from=2015-07-01&to=2015-08-31&tz=Asia/Riyadh"
			}
			get(target)
		}
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(len(lat)), "cpu-ms/query")
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(totals)/float64(len(lat)), "matches/query")
}

// BenchmarkExportCSV streams the full matches of a word through GET
// /api/v1/search.csv over SaudiNewsNet and reads them back as a client
// would: عبدالعزيز (4,119 articles) and العام (12,321). It reports the
// rows, the time and the processor time an export, the most heap in use
// while it streamed (sampled every 500 rows, garbage included), and, from
// one more export that collects garbage every 2,000 rows, the most heap
// live: memory is flat when three times the rows keep no more live.
//
//	go test -run '^$' -bench ExportCSV -benchtime 3x ./internal/cli
func BenchmarkExportCSV(b *testing.B) {
	base, _ := benchAPI(b, false)
	for _, tc := range []struct {
		name, q string
		min     int
	}{{"4k", "عبدالعزيز", 4000}, {"12k", "العام", 10000}} {
		b.Run(tc.name, func(b *testing.B) { benchExport(b, base+"/api/v1/search.csv?q="+url.QueryEscape(tc.q), tc.min) })
	}
}

func benchExport(b *testing.B, target string, minRows int) {
	var ms runtime.MemStats
	var peak uint64
	rows := 0
	var wall, cpu time.Duration
	for b.Loop() {
		runtime.GC()
		start, cpu0 := time.Now(), cpuTime()
		resp, err := http.Get(target)
		if err != nil {
			b.Fatal(err)
		}
		rows = 0
		cr := csv.NewReader(bufio.NewReaderSize(resp.Body, 64<<10))
		cr.ReuseRecord = true
		var rerr error
		for {
			if _, rerr = cr.Read(); rerr != nil {
				break
			}
			rows++
			if rows%500 == 0 {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || rerr != io.EOF {
			b.Fatalf("status %d, %v", resp.StatusCode, rerr)
		}
		wall += time.Since(start)
		cpu += cpuTime() - cpu0
	}
	// The live heap: one more export, collecting every 2,000 rows.
	runtime.GC()
	var live uint64
	resp, err := http.Get(target)
	if err != nil {
		b.Fatal(err)
	}
	cr := csv.NewReader(bufio.NewReaderSize(resp.Body, 64<<10))
	cr.ReuseRecord = true
	for i := 1; ; i++ {
		if _, err := cr.Read(); err != nil {
			break
		}
		if i%2000 == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			live = max(live, ms.HeapAlloc)
		}
	}
	resp.Body.Close()
	b.ReportMetric(float64(live)/(1<<20), "live-heap-MiB")
	rows-- // the header
	if rows < minRows {
		b.Fatalf("%d rows, want at least %d", rows, minRows)
	}
	n := float64(b.N)
	b.ReportMetric(float64(rows), "rows")
	b.ReportMetric(wall.Seconds()/n, "s/export")
	b.ReportMetric(cpu.Seconds()/n, "cpu-s/export")
	b.ReportMetric(float64(peak)/(1<<20), "heap-peak-MiB")
}
