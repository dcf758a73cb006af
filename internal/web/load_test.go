package web

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"khabar/internal/model"
	"khabar/internal/search"
	"khabar/internal/sharedtest"
	"khabar/internal/store"
	"khabar/internal/store/sqlite"
	"khabar/internal/weburl"
)

// TestLoadArticlePages is the portal's load test (issue 7): the real stack
// over SQLite with 5,000 SaudiNewsNet articles, N readers requesting
// article pages on loopback while a writer saves a new article every
// 100 ms as a crawl would; it reports p50/p90/p99 latency and errors.
// It is slow (the articles are analysed first), so it runs only when asked:
//
//	KHABAR_LOADTEST=1 go test -run TestLoadArticlePages -v ./internal/web/
//
// KHABAR_LOAD_READERS (default 8), KHABAR_LOAD_SECONDS (default 15),
// KHABAR_LOAD_ARTICLES (default 5000) and KHABAR_LOAD_WRITE_MS (the
// writer's pace, default 100; 0 stops it) change the load;
// KHABAR_LOAD_RELATED=0 leaves related reading out (to measure its cost);
// KHABAR_LOAD_DIR keeps the seeded store in that folder and reuses it on
// the next run (seeding takes minutes; profiling takes several runs). Errors fail the
// test; the 50 ms p99 target fails it only with KHABAR_LOAD_STRICT=1, since
// the machine is shared and the figure is reported either way.
func TestLoadArticlePages(t *testing.T) {
	if os.Getenv("KHABAR_LOADTEST") == "" {
		t.Skip("load test: set KHABAR_LOADTEST=1 to run it")
	}
	readers := envInt(t, "KHABAR_LOAD_READERS", 8, 1)
	writeEvery := time.Duration(envInt(t, "KHABAR_LOAD_WRITE_MS", 100, 0)) * time.Millisecond
	seconds := envInt(t, "KHABAR_LOAD_SECONDS", 15, 1)
	nArticles := envInt(t, "KHABAR_LOAD_ARTICLES", 5000, 1)
	recs := loadSaudiNewsNet(t, nArticles+2000)
	if len(recs) < nArticles+100 {
		t.Fatalf("corpus has %d articles, want at least %d", len(recs), nArticles+100)
	}
	ctx := context.Background()
	var st store.Store
	if dir := os.Getenv("KHABAR_LOAD_DIR"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		var err error
		if st, err = sqlite.Open(ctx, dir); err != nil {
			t.Fatalf("open %s: %v", dir, err)
		}
		t.Cleanup(func() { st.Close() })
	} else {
		st = openStore(t)
	}
	sd := newSeeder(st)
	sources := map[string]int64{}
	if srcs, err := st.ListSources(ctx); err == nil {
		for _, x := range srcs {
			sources[x.Title] = x.ID
		}
	}
	article := func(i int) (*model.Article, error) {
		r := recs[i]
		id, ok := sources[r.Source]
		if !ok {
			s := model.Source{URL: "https://" + r.Source + ".example/feed", Title: r.Source}
			if err := st.AddSource(ctx, &s); err != nil {
				return nil, err
			}
			id, sources[r.Source] = s.ID, s.ID
		}
		pub, err := time.Parse("2006-01-02 15:04:05", r.DateExtracted)
		if err != nil {
			pub = testNow
		}
		// The URL as khabar import stores it, so that a store imported
		// from the same records (KHABAR_LOAD_DIR) is found and reused.
		u, err := weburl.Check(r.URL)
		if err != nil {
			u = "https://" + r.Source + ".example/" + strconv.Itoa(i)
		}
		a := &model.Article{URL: u, SourceID: id, SourceName: r.Source, Title: r.Title, Text: r.Content, Published: pub, Fetched: pub, Language: "ar"}
		if r.Author != "" {
			a.Authors = []string{r.Author}
		}
		return a, nil
	}
	start := time.Now()
	var ids []int64
	for i := 0; i < nArticles; i++ {
		a, err := article(i)
		if err != nil {
			t.Fatalf("seed article %d: %v", i, err)
		}
		// A reused store has the article already (the writer's too).
		if old, err := st.GetArticleByURL(ctx, a.URL); err == nil {
			ids = append(ids, old.ID)
			continue
		}
		if err := sd.save(ctx, a); err != nil {
			t.Fatalf("seed article %d: %v", i, err)
		}
		ids = append(ids, a.ID)
	}
	t.Logf("seeded %d articles from %d sources in %s", len(ids), len(sources), time.Since(start).Round(time.Millisecond))

	var se search.Searcher = sd.search()
	if os.Getenv("KHABAR_LOAD_RELATED") == "0" {
		// Diagnosis: what pages cost without related reading at all.
		se = noRelated{se}
	}
	srv, err := New(Config{Store: st, Search: se, Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: readers * 2}, Timeout: 10 * time.Second}

	// Warm up: the first requests pay for parsing, caches and page faults.
	for _, id := range ids[:min(len(ids), 50)] {
		if resp, err := client.Get(ts.URL + "/articles/" + strconv.FormatInt(id, 10)); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}

	load0 := loadAvg()
	cpu0 := cpuTime()
	deadline := time.Now().Add(time.Duration(seconds) * time.Second)
	var (
		mu        sync.Mutex
		lat       []time.Duration
		errs      []string
		nErrs     atomic.Int64
		bytesRead atomic.Int64
		// pages that came with their related reading (see related.go)
		withRelated atomic.Int64
		written     atomic.Int64
		writeLat    []time.Duration
		wg          sync.WaitGroup
	)
	for w := 0; w < readers; w++ {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 42))
			var mine []time.Duration
			for time.Now().Before(deadline) {
				id := ids[rng.IntN(len(ids))]
				t0 := time.Now()
				resp, err := client.Get(ts.URL + "/articles/" + strconv.FormatInt(id, 10))
				if err == nil {
					body, rerr := io.ReadAll(resp.Body)
					resp.Body.Close()
					bytesRead.Add(int64(len(body)))
					if bytes.Contains(body, []byte(`id="rel-h"`)) {
						withRelated.Add(1)
					}
					if rerr != nil {
						err = rerr
					}
					if resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("article %d: status %d", id, resp.StatusCode)
					}
				}
				mine = append(mine, time.Since(t0))
				if err != nil {
					if nErrs.Add(1) <= 5 {
						mu.Lock()
						errs = append(errs, err.Error())
						mu.Unlock()
					}
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		})
	}
	// The crawler: a new article every 100 ms, analysed and saved.
	wg.Go(func() {
		for i := nArticles; writeEvery > 0 && time.Now().Before(deadline) && i < len(recs); i++ {
			t0 := time.Now()
			a, err := article(i)
			if err == nil {
				err = sd.save(ctx, a)
			}
			if err != nil {
				if nErrs.Add(1) <= 5 {
					mu.Lock()
					errs = append(errs, "write: "+err.Error())
					mu.Unlock()
				}
			} else {
				written.Add(1)
			}
			d := time.Since(t0)
			writeLat = append(writeLat, d)
			time.Sleep(max(0, writeEvery-d))
		}
	})
	wg.Wait()
	load1 := loadAvg()
	cpu := cpuTime() - cpu0

	slices.Sort(lat)
	slices.Sort(writeLat)
	pct := func(xs []time.Duration, p float64) time.Duration {
		if len(xs) == 0 {
			return 0
		}
		return xs[min(len(xs)-1, int(float64(len(xs))*p))].Round(10 * time.Microsecond)
	}
	p99 := pct(lat, 0.99)
	t.Logf("article pages: %d requests by %d readers in %ds (%.0f/s, %d KB average), %d errors",
		len(lat), readers, seconds, float64(len(lat))/float64(seconds), bytesRead.Load()/int64(max(1, len(lat)))/1024, nErrs.Load())
	t.Logf("latency: p50 %s  p90 %s  p99 %s  max %s; %.0f%% of pages with their related reading",
		pct(lat, 0.50), pct(lat, 0.90), p99, pct(lat, 1), 100*float64(withRelated.Load())/float64(max(1, len(lat))))
	t.Logf("crawl writer: %d articles saved, save p50 %s p99 %s", written.Load(), pct(writeLat, 0.5), pct(writeLat, 0.99))
	t.Logf("load average before %s, after %s (%d CPUs); this process used %.2f CPUs, %.2f ms of CPU per page (server, client, writer and related reading together)",
		load0, load1, runtime.NumCPU(), cpu.Seconds()/float64(seconds), float64(cpu.Microseconds())/1000/float64(max(1, len(lat))))
	if nErrs.Load() > 0 {
		t.Errorf("%d errors, first: %s", nErrs.Load(), strings.Join(errs, "; "))
	}
	if p99 > 50*time.Millisecond {
		msg := fmt.Sprintf("article page p99 %s is over the 50 ms target", p99)
		if os.Getenv("KHABAR_LOAD_STRICT") == "1" {
			t.Error(msg)
		} else {
			t.Log(msg)
		}
	}
}

func envInt(t *testing.T, name string, def, least int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < least {
		t.Fatalf("%s=%q: want a whole number of at least %d", name, v, least)
	}
	return n
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// corpusRecord is one SaudiNewsNet article.
type corpusRecord struct {
	Source        string `json:"source"`
	URL           string `json:"url"`
	DateExtracted string `json:"date_extracted"`
	Title         string `json:"title"`
	Author        string `json:"author"`
	Content       string `json:"content"`
}

// loadSaudiNewsNet reads up to n articles of the SaudiNewsNet corpus from
// the shared folder beside the repository (research-only: read in place,
// never copied); it skips when the folder is absent.
func loadSaudiNewsNet(t *testing.T, n int) []corpusRecord {
	t.Helper()
	zips, _ := filepath.Glob(filepath.Join(sharedtest.Path(t, "corpora", "saudinewsnet", "zips"), "*.zip"))
	if len(zips) == 0 {
		t.Skip("load test: no zip in shared/corpora/saudinewsnet/zips")
	}
	slices.Sort(zips)
	var out []corpusRecord
	for _, z := range zips {
		zr, err := zip.OpenReader(z)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			var recs []corpusRecord
			err = json.NewDecoder(rc).Decode(&recs)
			rc.Close()
			if err != nil {
				t.Fatalf("%s/%s: %v", z, f.Name, err)
			}
			for _, r := range recs {
				if strings.TrimSpace(r.Title) != "" && strings.TrimSpace(r.Content) != "" {
					out = append(out, r)
				}
			}
			if len(out) >= n {
				zr.Close()
				return out[:n]
			}
		}
		zr.Close()
	}
	return out
}

// noRelated is a Searcher without related reading.
type noRelated struct{ search.Searcher }

func (noRelated) Related(context.Context, model.Article, int) ([]model.ArticleRef, error) {
	return []model.ArticleRef{}, nil
}
