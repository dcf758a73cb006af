package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// TestSoak runs `khabar serve` (a child process: its memory is its own)
// for KHABAR_SOAK (say 10m) against a loopback newsroom that publishes an
// item every few seconds and opens a new section now and then, while
// readers use the pages and the API. After a warm-up it samples the
// server's resident memory and goroutines, and fails when either grows by
// more than 10%, on any 5xx, and on any error in the server's log.
//
//	KHABAR_SOAK=10m go test -run '^TestSoak$' -v -timeout 30m ./internal/cli
func TestSoak(t *testing.T) {
	d := os.Getenv("KHABAR_SOAK")
	if d == "" {
		t.Skip("KHABAR_SOAK=<duration> runs the soak test")
	}
	dur, err := time.ParseDuration(d)
	if err != nil || dur < 2*time.Minute {
		t.Fatalf("KHABAR_SOAK=%q: want a duration of at least 2m", d)
	}
	ctx, cancel := context.WithTimeout(context.Background(), dur+5*time.Minute)
	defer cancel()

	room := newSoakRoom(3 * time.Second)
	defer room.srv.Close()
	data := t.TempDir()
	// A store of some size to begin with: SQLite's page caches (16 MiB a
	// reader, 192 MiB the writer) fill as the file grows, and a soak that
	// starts from an empty file would see them fill, not a leak.
	run(t, ctx, data, "", "import", "--related=false", syntheticCorpus(t, 3000))
	run(t, ctx, data, "", "sources", "add", room.srv.URL+"/section/0.xml")

	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	args := strings.Join([]string{"--data", data, "--allow-private-networks", "serve", "--addr", "127.0.0.1:0"}, "\x1f")
	cmd.Env = append(os.Environ(), "KHABAR_TEST_CHILD_ARGS="+args,
		"KHABAR_ADMIN_TOKEN=secret", "KHABAR_CRAWL_EVERY=2s", "KHABAR_PER_HOST_DELAY=50ms",
		"KHABAR_RATE_LIMIT=0", "KHABAR_LOG_LEVEL=info")
	var logs lockedBuffer
	cmd.Stderr = &logs
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		re := regexp.MustCompile(`serving on (http://\S+)`)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
		exited <- cmd.Wait()
	}()
	var base string
	select {
	case base = <-addr:
	case <-time.After(time.Minute):
		t.Fatalf("serve did not start: %s", logs.String())
	}
	pid := cmd.Process.Pid

	var (
		requests, fails atomic.Int64
		mu              sync.Mutex
		serverErrors    []string
	)
	client := &http.Client{Timeout: time.Minute}
	fetch := func(method, path string, body []byte) (int, []byte) {
		req, _ := http.NewRequestWithContext(ctx, method, base+path, bytes.NewReader(body))
		if method != "GET" {
			req.Header.Set("Authorization", "Bearer secret")
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := client.Do(req)
		requests.Add(1)
		if err != nil {
			if ctx.Err() == nil {
				fails.Add(1)
				mu.Lock()
				serverErrors = append(serverErrors, fmt.Sprintf("%s %s: %v", method, path, err))
				mu.Unlock()
			}
			return 0, nil
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode >= 500 {
			fails.Add(1)
			mu.Lock()
			serverErrors = append(serverErrors, fmt.Sprintf("%s %s: %d %.200s", method, path, resp.StatusCode, b))
			mu.Unlock()
		}
		return resp.StatusCode, b
	}

	end := time.Now().Add(dur)
	readCtx, stopReaders := context.WithCancel(ctx)
	var wg sync.WaitGroup
	// The editors open a new section of the newsroom every 20 s: a new
	// source is due at once, so the crawler works through the whole run
	// (a source's own next poll is at least 10 minutes away).
	wg.Add(1)
	go func() {
		defer wg.Done()
		for n := 1; readCtx.Err() == nil; n++ {
			select {
			case <-readCtx.Done():
				return
			case <-time.After(20 * time.Second):
			}
			body, _ := json.Marshal(map[string]string{"url": fmt.Sprintf("%s/section/%d.xml", room.srv.URL, n)})
			if code, b := fetch("POST", "/api/v1/sources", body); code != 201 && code != 0 {
				t.Errorf("add source %d: %d %s", n, code, b)
			}
		}
	}()
	// Readers: the front page, articles, stories, search, tags and the API.
	queries := []string{"الوزير", "السوق", "الرياض النفط", "مطار", "\"الطاقة الشمسية\"", "كأس"}
	for r := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rnd := rand.New(rand.NewPCG(uint64(r), 7))
			var ids, stories []int64
			for readCtx.Err() == nil {
				switch rnd.IntN(10) {
				case 0:
					fetch("GET", "/", nil)
				case 1:
					_, b := fetch("GET", "/api/v1/articles?limit=50", nil)
					var list struct {
						Articles []struct {
							ID int64 `json:"id"`
						} `json:"articles"`
					}
					if json.Unmarshal(b, &list) == nil && len(list.Articles) > 0 {
						ids = ids[:0]
						for _, a := range list.Articles {
							ids = append(ids, a.ID)
						}
					}
				case 2, 3:
					if len(ids) > 0 {
						fetch("GET", fmt.Sprintf("/articles/%d", ids[rnd.IntN(len(ids))]), nil)
					}
				case 4:
					if len(ids) > 0 {
						fetch("GET", fmt.Sprintf("/api/v1/articles/%d", ids[rnd.IntN(len(ids))]), nil)
					}
				case 5:
					fetch("GET", "/search?q="+urlQuery(queries[rnd.IntN(len(queries))]), nil)
				case 6:
					fetch("GET", "/api/v1/search?q="+urlQuery(queries[rnd.IntN(len(queries))]), nil)
				case 7:
					_, b := fetch("GET", "/api/v1/stories", nil)
					var list struct {
						Stories []struct {
							ID int64 `json:"id"`
						} `json:"stories"`
					}
					if json.Unmarshal(b, &list) == nil && len(list.Stories) > 0 {
						stories = stories[:0]
						for _, s := range list.Stories {
							stories = append(stories, s.ID)
						}
					}
					if len(stories) > 0 {
						fetch("GET", fmt.Sprintf("/stories/%d", stories[rnd.IntN(len(stories))]), nil)
					}
				case 8:
					fetch("GET", "/api/v1/tags", nil)
					fetch("GET", "/api/v1/entities", nil)
				case 9:
					fetch("GET", "/feeds/all.xml", nil)
					fetch("GET", "/sources", nil)
				}
				time.Sleep(time.Duration(50+rnd.IntN(100)) * time.Millisecond)
			}
		}()
	}

	// Samples after a warm-up of a fifth of the run (at least a minute).
	warm := max(dur/5, time.Minute)
	type sample struct {
		at               time.Duration
		rss, goroutines  float64
		articles, stored float64
	}
	var samples []sample
	start := time.Now()
	for time.Now().Before(end) {
		select {
		case err := <-exited:
			t.Fatalf("serve exited during the soak: %v\n%s", err, tail(logs.String(), 4000))
		case <-time.After(10 * time.Second):
		}
		if time.Since(start) < warm {
			continue
		}
		_, m := fetch("GET", "/metrics", nil)
		s := sample{at: time.Since(start), rss: float64(residentBytes(pid)), goroutines: metricValue(string(m), "go_goroutines"),
			articles: float64(room.published()), stored: metricValue(string(m), "khabar_articles")}
		samples = append(samples, s)
		t.Logf("%6s rss %6.1f MiB goroutines %4.0f published %4.0f stored %4.0f requests %d",
			s.at.Round(time.Second), s.rss/(1<<20), s.goroutines, s.articles, s.stored, requests.Load())
	}
	stopReaders()
	wg.Wait()
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("serve exited with %v", err)
		}
	case <-time.After(time.Minute):
		t.Errorf("serve did not stop within a minute of SIGTERM")
		cmd.Process.Kill()
	}

	if len(samples) < 6 {
		t.Fatalf("only %d samples", len(samples))
	}
	// Flat: the median of the last quarter of the samples against the
	// median of the first quarter, so that neither a garbage collection
	// nor a burst of goroutines (a crawl round's fetches, a search's
	// snippets) reads as a trend; a leak moves the median.
	q := len(samples) / 4
	median := func(ss []sample, f func(sample) float64) float64 {
		vs := make([]float64, len(ss))
		for i, s := range ss {
			vs[i] = f(s)
		}
		slices.Sort(vs)
		return vs[len(vs)/2]
	}
	for _, m := range []struct {
		name string
		f    func(sample) float64
	}{
		{"resident memory", func(s sample) float64 { return s.rss }},
		{"goroutines", func(s sample) float64 { return s.goroutines }},
	} {
		first, last := median(samples[:q], m.f), median(samples[len(samples)-q:], m.f)
		growth := (last - first) / first
		t.Logf("%s: %.1f → %.1f (%+.1f%%)", m.name, first, last, 100*growth)
		if growth > 0.10 {
			t.Errorf("%s grew by %.1f%% after the warm-up (%.1f → %.1f)", m.name, 100*growth, first, last)
		}
	}
	if last := samples[len(samples)-1]; last.stored <= samples[0].stored {
		t.Errorf("nothing was stored after the warm-up: %v articles then and at the end", last.stored)
	}
	t.Logf("%d requests, %d failed; %d items published", requests.Load(), fails.Load(), room.published())
	if len(serverErrors) > 0 {
		t.Errorf("%d requests failed; the first: %v", len(serverErrors), serverErrors[:min(20, len(serverErrors))])
	}
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, "level=ERROR") {
			t.Errorf("error in the log: %s", line)
		}
	}
}

// residentBytes is the resident memory of process pid (VmRSS).
func residentBytes(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// metricValue is the value of an unlabelled metric in Prometheus text.
func metricValue(text, name string) float64 {
	for _, line := range strings.Split(text, "\n") {
		if rest, ok := strings.CutPrefix(line, name+" "); ok {
			v, _ := strconv.ParseFloat(strings.TrimSpace(rest), 64)
			return v
		}
	}
	return -1
}

// soakRoom is a newsroom that publishes an item every `every`: each
// section's feed lists the newest 30 items, and each item has a page.
type soakRoom struct {
	srv   *httptest.Server
	start time.Time
	every time.Duration
}

var soakTopics = []string{
	"أعلن وزير الطاقة عن خطة لتوسيع محطات الطاقة الشمسية في المنطقة الشرقية",
	"ارتفع مؤشر السوق المالية السعودية بدعم من أسهم البنوك والنفط",
	"افتتح أمير الرياض مشروعا جديدا للنقل العام يربط الأحياء الشمالية",
	"وصل المنتخب الوطني إلى الدوحة استعدادا لمباراة نصف نهائي كأس الخليج",
	"حذرت هيئة الأرصاد من أمطار غزيرة ورياح نشطة على مكة المكرمة وجدة",
	"وقعت وزارة الصحة اتفاقية لإنشاء مستشفى تخصصي في المدينة المنورة",
	"بحث وزير الخارجية مع نظيره المصري في القاهرة تطورات الأوضاع الإقليمية",
	"أطلقت الجامعة برنامجا لتدريب الطلاب على الذكاء الاصطناعي",
	"تراجعت أسعار النفط بعد بيانات عن زيادة المخزونات الأمريكية",
	"دشن مطار أبها الدولي صالة جديدة لاستقبال الرحلات الدولية",
}

func newSoakRoom(every time.Duration) *soakRoom {
	r := &soakRoom{start: time.Now(), every: every}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /robots.txt", func(w http.ResponseWriter, req *http.Request) {
		fmt.Fprint(w, "User-agent: *\nAllow: /\n")
	})
	mux.HandleFunc("GET /section/{n}", func(w http.ResponseWriter, req *http.Request) {
		sec, _ := strconv.Atoi(strings.TrimSuffix(req.PathValue("n"), ".xml"))
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>القسم %d</title><link>%s</link><language>ar</language>`, sec, r.srv.URL)
		n := r.published()
		for i := n - 1; i >= max(0, n-30); i-- {
			// each section carries every other item, from its own offset
			if (i+sec)%2 != 0 {
				continue
			}
			at := r.start.Add(time.Duration(i) * r.every)
			fmt.Fprintf(w, `<item><title>%s (%d)</title><link>%s/item/%d.html</link><guid>item-%d</guid><pubDate>%s</pubDate><description>%s</description></item>`,
				soakTopics[i%len(soakTopics)], i, r.srv.URL, i, i, at.UTC().Format(time.RFC1123Z), soakTopics[i%len(soakTopics)])
		}
		fmt.Fprint(w, `</channel></rss>`)
	})
	mux.HandleFunc("GET /item/{n}", func(w http.ResponseWriter, req *http.Request) {
		i, err := strconv.Atoi(strings.TrimSuffix(req.PathValue("n"), ".html"))
		if err != nil || i < 0 || i >= r.published() {
			http.NotFound(w, req)
			return
		}
		topic := soakTopics[i%len(soakTopics)]
		rnd := rand.New(rand.NewPCG(uint64(i), 3))
		var body strings.Builder
		for range 4 + rnd.IntN(4) {
			body.WriteString("<p>")
			for range 25 + rnd.IntN(30) {
				body.WriteString(words[rnd.IntN(len(words))] + " ")
			}
			body.WriteString(".</p>")
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<html lang="ar" dir="rtl"><head><title>%s</title><meta property="article:published_time" content="%s"></head>
<body><article><h1>%s (%d)</h1><p>الرياض (واس) - %s، وفق بيان رسمي صدر اليوم.</p>%s</article></body></html>`,
			topic, r.start.Add(time.Duration(i)*r.every).UTC().Format(time.RFC3339), topic, i, topic, body.String())
	})
	r.srv = httptest.NewServer(mux)
	return r
}

// published is how many items the newsroom has published so far.
func (r *soakRoom) published() int { return 5 + int(time.Since(r.start)/r.every) }
