package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
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

// benchQueries makes n varied queries from the words of stored titles:
// single words, pairs, quoted phrases, and spelling variants (Persian yeh,
// hamza dropped, clitics added, Arabic-Indic digits).
func benchQueries(titles []string, n int, seed uint64) []string {
	r := rand.New(rand.NewPCG(seed, 11))
	variant := strings.NewReplacer("ي", "ی", "أ", "ا", "إ", "ا")
	digits := strings.NewReplacer("0", "٠", "1", "١", "2", "٢", "3", "٣", "4", "٤", "5", "٥", "6", "٦", "7", "٧", "8", "٨", "9", "٩")
	var out []string
	for len(out) < n {
		w := strings.Fields(titles[r.IntN(len(titles))])
		var long []string
		for _, x := range w {
			if len([]rune(x)) >= 3 {
				long = append(long, x)
			}
		}
		if len(long) < 2 {
			continue
		}
		i := r.IntN(len(long) - 1)
		var q string
		switch len(out) % 6 {
		case 0:
			q = long[i]
		case 1:
			q = long[i] + " " + long[i+1]
		case 2:
			q = `"` + long[i] + " " + long[i+1] + `"`
		case 3:
			q = variant.Replace(long[i])
		case 4:
			q = "و" + long[i]
		case 5:
			q = digits.Replace(long[i] + " " + long[i+1])
		}
		out = append(out, q)
	}
	return out
}

// BenchmarkSearchAPI imports SaudiNewsNet (31,030 articles) and measures
// 200 varied queries through GET /api/v1/search, one at a time, after 50
// others that warm the store up, reporting the 50th and 99th percentile
// latency and the size of the store:
//
//	go test -run '^$' -bench SearchAPI -benchtime 5x ./internal/cli
//
// KHABAR_BENCH_DATA names a data folder to reuse between runs (it is
// filled on the first run).
func BenchmarkSearchAPI(b *testing.B) {
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
	defer a.close()
	st, err := a.store(ctx)
	if err != nil {
		b.Fatal(err)
	}
	an, _, err := a.analysis(ctx, st)
	if err != nil {
		b.Fatal(err)
	}
	svc := search.New(st, an)
	h, err := api.New(api.Config{Store: st, Search: svc})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	var titles []string
	out, _ := exportTitles(ctx, a)
	titles = out
	queries := benchQueries(titles, 200, 7)
	// A store just opened reads its index from the file: 50 other queries
	// first, so that the figures are a running server's; the slowest of
	// them is reported apart (warmup-max-ms).
	var warmMax time.Duration
	for _, q := range benchQueries(titles, 50, 3) {
		start := time.Now()
		resp, err := http.Get(srv.URL + "/api/v1/search?limit=10&q=" + url.QueryEscape(q))
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		warmMax = max(warmMax, time.Since(start))
	}
	b.ReportMetric(float64(warmMax.Microseconds())/1000, "warmup-max-ms")
	var lat []time.Duration
	type slow struct {
		q string
		d time.Duration
	}
	var slowest []slow
	found := 0
	// CPU time per query (the process's user and system time, server and
	// client together): on a shared machine wall-clock percentiles measure
	// the queue for a core as much as the search.
	var ru0, ru1 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	for b.Loop() {
		for _, q := range queries {
			start := time.Now()
			resp, err := http.Get(srv.URL + "/api/v1/search?limit=10&q=" + url.QueryEscape(q))
			if err != nil {
				b.Fatal(err)
			}
			var res struct {
				Total int `json:"total"`
			}
			json.NewDecoder(resp.Body).Decode(&res)
			resp.Body.Close()
			lat = append(lat, time.Since(start))
			slowest = append(slowest, slow{q, time.Since(start)})
			if resp.StatusCode != 200 {
				b.Fatalf("%q: status %d", q, resp.StatusCode)
			}
			if res.Total > 0 {
				found++
			}
		}
	}
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
	cpu := time.Duration(ru1.Utime.Nano() + ru1.Stime.Nano() - ru0.Utime.Nano() - ru0.Stime.Nano())
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(len(lat)), "cpu-ms/query")
	slices.Sort(lat)
	slices.SortFunc(slowest, func(a, b slow) int { return int(b.d - a.d) })
	for _, x := range slowest[:min(5, len(slowest))] {
		b.Logf("slow: %v %q", x.d.Round(time.Millisecond), x.q)
	}
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(found)/float64(len(lat)), "found-share")
	if fi, err := os.Stat(filepath.Join(data, "khabar.db")); err == nil {
		b.ReportMetric(float64(fi.Size())/(1<<20), "db-MiB")
	}
}

// exportTitles reads every stored title.
func exportTitles(ctx context.Context, a *app) ([]string, error) {
	pr, pw := io.Pipe()
	a2 := *a
	a2.stdout = pw
	go func() {
		pw.CloseWithError(runExport(ctx, &a2, nil))
	}()
	var titles []string
	sc := bufio.NewScanner(pr)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var e struct {
			Title string `json:"title"`
		}
		if json.Unmarshal(sc.Bytes(), &e) == nil && e.Title != "" {
			titles = append(titles, e.Title)
		}
	}
	if len(titles) == 0 {
		return nil, fmt.Errorf("no titles")
	}
	return titles, sc.Err()
}
