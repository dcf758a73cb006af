package cli

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// hostFarm serves one-item RSS feeds and their pages from several loopback
// servers; each server (its own port) is a host of its own, as the fetcher
// paces them. It logs when each request to each host began and ended.
type hostFarm struct {
	srvs []*httptest.Server
	mu   sync.Mutex
	log  map[string][]span // host → requests, robots.txt aside
	hits map[string]int    // host + path → requests
}

type span struct{ start, end time.Time }

func newHostFarm(t testing.TB, hosts int, latency time.Duration) *hostFarm {
	f := &hostFarm{log: map[string][]span{}, hits: map[string]int{}}
	page := strings.Repeat("<p>نص الخبر عن الاقتصاد والأسواق في الرياض وجدة والدمام ومكة المكرمة. </p>", 8)
	for range hosts {
		var srv *httptest.Server
		srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			time.Sleep(latency)
			var id int
			switch {
			case r.URL.Path == "/robots.txt":
				fmt.Fprint(w, "User-agent: *\nAllow: /\n")
			case sscan(r.URL.Path, "/feed/%d.xml", &id):
				w.Header().Set("Content-Type", "application/rss+xml")
				fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>مصدر %d</title>
<item><title>خبر رقم %d</title><link>%s/page/%d.html</link><guid>g%d</guid><pubDate>Mon, 02 Mar 2024 10:00:00 +0300</pubDate></item>
</channel></rss>`, id, id, srv.URL, id, id)
			case sscan(r.URL.Path, "/page/%d.html", &id):
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				fmt.Fprintf(w, `<html lang="ar" dir="rtl"><head><title>خبر رقم %d</title></head><body><article><h1>خبر رقم %d في المملكة</h1>%s<p>الخبر رقم %d في المصدر %s.</p></article></body></html>`, id, id, page, id, r.Host)
			default:
				http.NotFound(w, r)
			}
			f.mu.Lock()
			f.hits[r.Host+r.URL.Path]++
			if r.URL.Path != "/robots.txt" {
				f.log[r.Host] = append(f.log[r.Host], span{start, time.Now()})
			}
			f.mu.Unlock()
		}))
		t.Cleanup(srv.Close)
		f.srvs = append(f.srvs, srv)
	}
	return f
}

// feeds returns n feed URLs spread round-robin over the farm's hosts.
func (f *hostFarm) feeds(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s/feed/%d.xml", f.srvs[i%len(f.srvs)].URL, i)
	}
	return out
}

// closest returns the shortest time between the end of one request to a
// host and the start of the next one to the same host, over all hosts
// (negative when two overlapped), robots.txt aside: the fetcher asks for
// it in the same turn as the request it guards.
func (f *hostFarm) closest() time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	best := time.Duration(1<<63 - 1)
	for _, spans := range f.log {
		slices.SortFunc(spans, func(a, b span) int { return a.start.Compare(b.start) })
		for i := 1; i < len(spans); i++ {
			best = min(best, spans[i].start.Sub(spans[i-1].end))
		}
	}
	return best
}

// crawlFeeds adds the feeds to the store named by db and runs workers
// `khabar crawl` at once, each with env added; it returns the time they
// took and the sources each worker crawled.
func crawlFeeds(t testing.TB, ctx context.Context, db string, feeds []string, workers int, env ...string) (time.Duration, []int) {
	setup := t.TempDir()
	var opml strings.Builder
	opml.WriteString(`<?xml version="1.0"?><opml version="2.0"><head><title>farm</title></head><body>`)
	for i, u := range feeds {
		fmt.Fprintf(&opml, `<outline type="rss" text="f%d" xmlUrl="%s"/>`, i, u)
	}
	opml.WriteString(`</body></opml>`)
	file := filepath.Join(setup, "farm.opml")
	if err := os.WriteFile(file, []byte(opml.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := runCodeEnv(ctx, setup, db, env, "sources", "import", file); code != 0 {
		t.Fatalf("sources import: %s %s", out, errOut)
	}
	crawled := regexp.MustCompile(`crawled (\d+) sources`)
	shares := make([]int, workers)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			// each worker has its own data folder, as on its own machine
			code, out, errOut := runCodeEnv(ctx, t.TempDir(), db, env, "crawl")
			if code != 0 {
				t.Errorf("crawl: %s", errOut)
			}
			if m := crawled.FindStringSubmatch(out); m != nil {
				shares[w], _ = strconv.Atoi(m[1])
			}
		})
	}
	wg.Wait()
	return time.Since(start), shares
}

// runCodeEnv is runCode2 with more environment, which wins over its own.
func runCodeEnv(ctx context.Context, data, db string, env []string, args ...string) (int, string, string) {
	var out, errb strings.Builder
	full := append([]string{"--data", data, "--allow-private-networks"}, args...)
	all := append([]string{"KHABAR_PER_HOST_DELAY=0s", "KHABAR_LOG_LEVEL=error", "KHABAR_DATABASE_URL=" + db}, env...)
	code := Run(ctx, full, all, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// TestCrawlersKeepPolitenessAcrossHosts runs two crawls together against
// one PostgreSQL store, 40 sources over 10 loopback hosts and a per-host
// delay: each feed is fetched once, the workers' shares add up to every
// source, and no host gets two requests closer than the delay, whichever
// worker sent them. (How evenly they share is the benchmark's to show: on
// a loaded machine one worker may finish before the other starts.)
func TestCrawlersKeepPolitenessAcrossHosts(t *testing.T) {
	db := postgresURL(t)
	ctx := context.Background()
	const delay = 150 * time.Millisecond
	f := newHostFarm(t, 10, 5*time.Millisecond)
	feeds := f.feeds(40)
	_, shares := crawlFeeds(t, ctx, db, feeds, 2, "KHABAR_PER_HOST_DELAY="+delay.String(), "KHABAR_WORKERS=2")
	for i, u := range feeds {
		path := u[strings.Index(u, "://")+3:]
		if c := f.hits[path]; c != 1 {
			t.Errorf("feed %d fetched %d times", i, c)
		}
	}
	if shares[0]+shares[1] != 40 {
		t.Errorf("workers crawled %v sources, want 40 in all", shares)
	}
	if gap := f.closest(); gap < delay {
		t.Errorf("two requests to one host %v apart, want at least the per-host delay %v", gap, delay)
	}
	t.Logf("shares %v, closest two requests to one host %v apart", shares, f.closest())
}

// BenchmarkCrawlWorkersByHost measures 1, 2 and 4 workers (khabar
// processes, 4 sources at once each) sharing a PostgreSQL store, with 40
// sources over 10 and over 40 loopback hosts, every answer after 500 ms of
// simulated latency (so that the network, not the two CPUs the processes
// share, sets the pace) and a per-host delay of 250 ms. It reports the time,
// the time against one worker, the closest two requests to one host and
// the sources each worker crawled:
//
//	KHABAR_TEST_DATABASE_URL=$(sh .ci/postgres.sh) go test -run '^$' -bench CrawlWorkersByHost -benchtime 1x ./internal/cli
func BenchmarkCrawlWorkersByHost(b *testing.B) {
	ctx := context.Background()
	for _, hosts := range []int{10, 40} {
		var one time.Duration
		for _, workers := range []int{1, 2, 4} {
			b.Run(fmt.Sprintf("hosts=%d/workers=%d", hosts, workers), func(b *testing.B) {
				for b.Loop() {
					db := postgresURL(b)
					f := newHostFarm(b, hosts, 500*time.Millisecond)
					el, shares := crawlFeeds(b, ctx, db, f.feeds(40), workers, "KHABAR_PER_HOST_DELAY=250ms", "KHABAR_WORKERS=4")
					if workers == 1 {
						one = el
					}
					b.ReportMetric(el.Seconds(), "s")
					if one > 0 {
						b.ReportMetric(el.Seconds()/one.Seconds(), "ratio")
					}
					b.ReportMetric(f.closest().Seconds(), "closest-s")
					b.Logf("hosts %d, workers %d: %v, shares %v, closest %v", hosts, workers, el.Round(time.Millisecond), shares, f.closest().Round(time.Millisecond))
				}
			})
		}
	}
}
