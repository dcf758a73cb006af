package cli

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"khabar/internal/model"
	"khabar/internal/store/sqlite"
)

// hostileEnv is the crawl configuration of the hostile test: short fetch
// timeouts, because per-host pacing serializes every request to the one
// host, so each hang or drip holds up all the others for a whole timeout.
var hostileEnv = []string{
	"KHABAR_FETCH_TIMEOUT=3s",
	"KHABAR_PER_HOST_DELAY=50ms",
	"KHABAR_LOG_LEVEL=warn",
}

// bigFeedItems is the size of the huge feed; KHABAR_MAX_ITEMS (default
// 200) bounds the pages fetched from it.
const (
	bigFeedItems = 10000
	maxItems     = 200
)

// hostileHost is one httptest server — one host, so per-host pacing covers
// everything — serving good feeds beside every kind of hostile source, and
// counting what it is asked.
type hostileHost struct {
	srv  *httptest.Server
	stop chan struct{} // closed at cleanup: endless handlers return

	mu   sync.Mutex
	hits map[string]int // path → requests
	inm  map[string]int // path → requests that carried If-None-Match
	ims  map[string]int // path → requests that carried If-Modified-Since
	// arrivals are the requests in the order they came, for pacing.
	arrivals []arrival
	badUA    []string // User-Agents that do not name khabar
}

type arrival struct {
	path string
	at   time.Time
}

// closestRequests returns the shortest gap between two requests in a row
// that pacing must keep apart: robots.txt and redirect hops are part of the
// Get that follows or precedes them, inside one turn of the host.
func (h *hostileHost) closestRequests() (gap time.Duration, a, b string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	inTurn := func(p string) bool { return p == "/robots.txt" || strings.HasPrefix(p, "/loop/") }
	gap = time.Hour
	for i := 1; i < len(h.arrivals); i++ {
		x, y := h.arrivals[i-1], h.arrivals[i]
		if inTurn(x.path) || inTurn(y.path) {
			continue
		}
		if d := y.at.Sub(x.at); d < gap {
			gap, a, b = d, x.path, y.path
		}
	}
	return gap, a, b
}

func (h *hostileHost) count(path string) (hits, inm, ims int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.hits[path], h.inm[path], h.ims[path]
}

// countPrefix sums the requests to paths under prefix.
func (h *hostileHost) countPrefix(prefix string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for p, k := range h.hits {
		if strings.HasPrefix(p, prefix) {
			n += k
		}
	}
	return n
}

// hostileArticle writes an Arabic article page of a few paragraphs of
// varied words, with extra HTML after the second paragraph.
func hostileArticle(seed uint64, title, charset, extra string) string {
	r := rand.New(rand.NewPCG(seed, 7))
	var b strings.Builder
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"ar\" dir=\"rtl\"><head><meta charset=\"%s\"><title>%s</title></head>\n<body><header><nav><a href=\"/\">الرئيسية</a></nav></header>\n<main><article><h1>%s</h1>\n", charset, title, title)
	for p := range 5 {
		b.WriteString("<p>")
		for i := range 45 + r.IntN(20) {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(words[r.IntN(len(words))])
		}
		b.WriteString(".</p>\n")
		if p == 1 {
			b.WriteString(extra)
		}
	}
	b.WriteString("</article></main><footer>جميع الحقوق محفوظة</footer></body></html>\n")
	return b.String()
}

// The windows-1256 source: its titles must come out as this Arabic.
const (
	cp1256FeedTitle = "أخبار بترميز ويندوز"
	cp1256Title1    = "وزير الاقتصاد يفتتح مؤتمر الطاقة في جدة"
	cp1256Title2    = "المنتخب يستعد لمباراة الدوري في الرياض"
)

// injected is what the script-injection source tries to smuggle in.
const (
	injectFeedHTML = `<p>ملخص الخبر المحقون</p><script>alert("feed")</script><img src="x.png" onerror="alert('img')"><a href="javascript:alert('link')">رابط</a><iframe src="https://evil.example/"></iframe>`
	injectPageHTML = `<script>document.write("pwned-page")</script><p onclick="alert('click')">فقرة فيها حدث نقر.</p><style>body{display:none}</style><iframe src="https://evil.example/frame"></iframe><a href="javascript:alert('page')">اضغط هنا</a><noscript><script>alert("nested")</script></noscript>`
	injectTitle    = "خبر محقون بنص برمجي خبيث"
)

func newHostileHost(t *testing.T) *hostileHost {
	t.Helper()
	h := &hostileHost{stop: make(chan struct{}), hits: map[string]int{}, inm: map[string]int{}, ims: map[string]int{}}
	mux := http.NewServeMux()
	base := func() string { return h.srv.URL }
	cp1256 := charmap.Windows1256.NewEncoder()

	mux.HandleFunc("GET /robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
	})
	mux.HandleFunc("GET /news/{name}", func(w http.ResponseWriter, r *http.Request) {
		data, err := newsroomPage(filepath.Base(r.PathValue("name")))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(data)
	})

	// Good feeds, with validators, answering 304 to a matching request.
	conditional := func(etag, ctype string, body func() string) http.HandlerFunc {
		const lastMod = "Tue, 05 Mar 2024 10:00:00 GMT"
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("ETag", etag)
			w.Header().Set("Last-Modified", lastMod)
			inm := r.Header.Get("If-None-Match")
			if inm == etag || (inm == "" && r.Header.Get("If-Modified-Since") == lastMod) {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("Content-Type", ctype)
			io.WriteString(w, body())
		}
	}
	mux.HandleFunc("GET /good/rss.xml", conditional(`"rss-v1"`, "application/rss+xml; charset=utf-8", func() string {
		return fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>المستقلة</title><link>%[1]s/</link><language>ar</language>
<item><title>المبعوث الأمريكي: لا خطط لانسحاب قوات التحالف</title><link>%[1]s/news/coalition.html</link><guid>coalition-1</guid><pubDate>Sat, 02 Mar 2024 10:00:00 +0300</pubDate><description>ملخص الخبر</description></item>
<item><title>معارضون يسيطرون على مخازن للصواريخ</title><link>%[1]s/news/cnn-syria.html</link><guid>cnn-1</guid><pubDate>Sat, 03 Aug 2013 12:00:00 GMT</pubDate></item>
</channel></rss>`, base())
	}))
	mux.HandleFunc("GET /good/atom.xml", conditional(`W/"atom-v1"`, "application/atom+xml; charset=utf-8", func() string {
		return fmt.Sprintf(`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>عربي اليوم</title><id>urn:hostile:atom</id><updated>2024-03-05T10:00:00Z</updated>
<entry><title>محلل سياسي: هجوم تدمر</title><link href="%[1]s/news/coalition-syria.html"/><id>urn:syria</id><updated>2024-03-05T06:30:00Z</updated></entry>
<entry><title>الناشط الحقوقي السوداني</title><link href="%[1]s/news/assabah.html"/><id>urn:assabah</id><updated>2019-01-10T06:30:00Z</updated></entry>
<entry><title>سكاي نيوز</title><link href="%[1]s/news/skynews.html"/><id>urn:sky</id><updated>2025-05-07T06:30:00Z</updated></entry>
<entry><title>النشرة الصباحية</title><link href="%[1]s/news/almasryalyoum.html"/><id>urn:masry</id><updated>2025-07-01T06:00:00Z</updated></entry>
</feed>`, base())
	}))

	// windows-1256 feed and pages, with no charset in the HTTP header: the
	// XML prolog and the HTML meta tag must be read.
	mux.HandleFunc("GET /cp1256.xml", func(w http.ResponseWriter, r *http.Request) {
		doc := fmt.Sprintf(`<?xml version="1.0" encoding="windows-1256"?>
<rss version="2.0"><channel><title>%s</title><link>%s/</link>
<item><title>%s</title><link>%s/cp1256/1.html</link><guid>cp-1</guid><pubDate>Mon, 04 Mar 2024 08:00:00 GMT</pubDate><description>خبر عن الطاقة</description></item>
<item><title>%s</title><link>%s/cp1256/2.html</link><guid>cp-2</guid><pubDate>Mon, 04 Mar 2024 09:00:00 GMT</pubDate><description>خبر عن الرياضة</description></item>
</channel></rss>`, cp1256FeedTitle, base(), cp1256Title1, base(), cp1256Title2, base())
		enc, err := cp1256.String(doc)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		w.Header().Set("Content-Type", "application/xml")
		io.WriteString(w, enc)
	})
	mux.HandleFunc("GET /cp1256/{n}", func(w http.ResponseWriter, r *http.Request) {
		title := map[string]string{"1.html": cp1256Title1, "2.html": cp1256Title2}[r.PathValue("n")]
		if title == "" {
			http.NotFound(w, r)
			return
		}
		enc, err := cp1256.String(hostileArticle(uint64(len(title)), title, "windows-1256", ""))
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, enc)
	})

	// Script injection, in the feed's summary and in the page.
	mux.HandleFunc("GET /inject.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>مصدر محقون</title><link>%s/</link>
<item><title>%s</title><link>%s/inject/page.html</link><guid>inj-1</guid><pubDate>Tue, 05 Mar 2024 08:00:00 GMT</pubDate>
<description><![CDATA[%s]]></description></item>
</channel></rss>`, base(), injectTitle, base(), injectFeedHTML)
	})
	mux.HandleFunc("GET /inject/page.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		page := hostileArticle(99, injectTitle, "utf-8", injectPageHTML)
		page = strings.Replace(page, "</head>", `<script src="https://evil.example/x.js"></script><script>alert("head")</script></head>`, 1)
		io.WriteString(w, page)
	})

	// robots.txt disallows /private/: that page must never be asked for.
	mux.HandleFunc("GET /robots-feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>مصدر فيه صفحة محظورة</title><link>%[1]s/</link>
<item><title>صفحة مسموحة</title><link>%[1]s/pages/allowed.html</link><guid>rb-1</guid></item>
<item><title>صفحة محظورة</title><link>%[1]s/private/secret.html</link><guid>rb-2</guid><description>نص الملخص من الخلاصة</description></item>
</channel></rss>`, base())
	})
	mux.HandleFunc("GET /pages/allowed.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, hostileArticle(7, "صفحة مسموحة للزاحف", "utf-8", ""))
	})
	mux.HandleFunc("GET /private/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, hostileArticle(8, "صفحة سرية", "utf-8", ""))
	})

	// 10,000 items, each linking to a page on this host.
	var big strings.Builder
	fmt.Fprintf(&big, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>خلاصة ضخمة</title><link>%s/</link>
`, "http://big.invalid")
	t0 := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range bigFeedItems {
		fmt.Fprintf(&big, "<item><title>خبر رقم %d</title><link>{{BASE}}/big/%d.html</link><guid>big-%d</guid><pubDate>%s</pubDate><description>ملخص الخبر رقم %d</description></item>\n",
			i, i, i, t0.Add(-time.Duration(i)*time.Minute).Format(time.RFC1123Z), i)
	}
	big.WriteString("</channel></rss>\n")
	var bigOnce sync.Once
	var bigDoc string
	mux.HandleFunc("GET /big.xml", func(w http.ResponseWriter, r *http.Request) {
		bigOnce.Do(func() { bigDoc = strings.ReplaceAll(big.String(), "{{BASE}}", base()) })
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		io.WriteString(w, bigDoc)
	})
	mux.HandleFunc("GET /big/{n}", func(w http.ResponseWriter, r *http.Request) {
		var n uint64
		if _, err := fmt.Sscanf(r.PathValue("n"), "%d.html", &n); err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, hostileArticle(1000+n, fmt.Sprintf("خبر رقم %d من الخلاصة الضخمة", n), "utf-8", ""))
	})

	// Hostile sources.
	mux.HandleFunc("GET /slow.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.WriteHeader(http.StatusOK)
		fl := w.(http.Flusher)
		for b := []byte("<"); ; b = []byte("r") {
			if _, err := w.Write(b); err != nil {
				return
			}
			fl.Flush()
			select {
			case <-r.Context().Done():
				return
			case <-h.stop:
				return
			case <-time.After(300 * time.Millisecond):
			}
		}
	})
	mux.HandleFunc("GET /hang.xml", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-h.stop:
		}
	})
	mux.HandleFunc("GET /huge.xml", func(w http.ResponseWriter, r *http.Request) {
		// 4 GiB, streamed without a Content-Length.
		w.Header().Set("Content-Type", "application/rss+xml")
		chunk := bytes.Repeat([]byte("<item>حشو</item>"), 4096)
		io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>ضخم</title>`)
		for sent := 0; sent < 4<<30; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
			select {
			case <-h.stop:
				return
			default:
			}
		}
	})
	// A gzip bomb: ~2 MB on the wire that inflate to 2 GiB (concatenated
	// gzip members, each 1 MiB of spaces).
	var member bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&member, gzip.BestCompression)
	zw.Write(bytes.Repeat([]byte(" "), 1<<20))
	zw.Close()
	var head bytes.Buffer
	zw = gzip.NewWriter(&head)
	zw.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>قنبلة</title>`))
	zw.Close()
	mux.HandleFunc("GET /bomb.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(head.Bytes())
		for range 2048 {
			if _, err := w.Write(member.Bytes()); err != nil {
				return
			}
		}
	})
	// A good feed whose article pages all hang: without a per-source
	// breaker its 20 items would hold the host for 20 timeouts.
	mux.HandleFunc("GET /stall.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		w.Header().Set("ETag", `"stall-v1"`)
		fmt.Fprintf(w, "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>صفحات معلقة</title><link>%s/</link>\n", base())
		for i := range 20 {
			fmt.Fprintf(w, "<item><title>خبر معلق %d</title><link>%s/stall/%d.html</link><guid>stall-%d</guid></item>\n", i, base(), i, i)
		}
		io.WriteString(w, "</channel></rss>\n")
	})
	mux.HandleFunc("GET /stall/{n}", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-h.stop:
		}
	})
	mux.HandleFunc("GET /loop/a.xml", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop/b.xml", http.StatusFound)
	})
	mux.HandleFunc("GET /loop/b.xml", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop/a.xml", http.StatusMovedPermanently)
	})
	mux.HandleFunc("GET /error.xml", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "internal error", http.StatusInternalServerError)
	})
	mux.HandleFunc("GET /busy.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		http.Error(w, "slow down", http.StatusTooManyRequests)
	})
	mux.HandleFunc("GET /malformed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>خلاصة معطوبة</title>
<item><title>عنوان & بلا إغلاق</title><link>%s/news/coalition.html</link>
<item><title>آخر</title></channel>
</rss`, base())
	})

	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		h.hits[r.URL.Path]++
		h.arrivals = append(h.arrivals, arrival{r.URL.Path, time.Now()})
		if ua := r.UserAgent(); !strings.HasPrefix(ua, "khabar/") && len(h.badUA) < 5 {
			h.badUA = append(h.badUA, ua)
		}
		if r.Header.Get("If-None-Match") != "" {
			h.inm[r.URL.Path]++
		}
		if r.Header.Get("If-Modified-Since") != "" {
			h.ims[r.URL.Path]++
		}
		h.mu.Unlock()
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(h.srv.Close)
	t.Cleanup(func() { close(h.stop) }) // runs first: lets endless handlers end
	return h
}

// hostileSource is one source of the test and what its crawl must leave.
type hostileSource struct {
	path     string
	articles int      // articles it must keep (-1: bad source, none expected)
	errWords []string // all must appear in last_error (case-insensitive); nil: no error
}

var hostileSources = []hostileSource{
	{"/good/rss.xml", 2, nil},
	{"/good/atom.xml", 4, nil},
	{"/cp1256.xml", 2, nil},
	{"/inject.xml", 1, nil},
	{"/big.xml", maxItems, nil},
	// the disallowed item is kept from the feed's own text, unfetched
	{"/robots-feed.xml", 2, []string{"robots.txt", "/private/secret.html"}},
	{"/stall.xml", -1, []string{"timed out", "in a row"}},
	{"/slow.xml", -1, []string{"timed out"}},
	{"/hang.xml", -1, []string{"timed out"}},
	{"/huge.xml", -1, []string{"too large"}},
	{"/bomb.xml", -1, []string{"too large", "decompressed"}},
	{"/loop/a.xml", -1, []string{"redirect"}},
	{"/error.xml", -1, []string{"500"}},
	{"/busy.xml", -1, []string{"429", "retry after"}},
	{"/malformed.xml", -1, []string{"malformed", "xml"}},
}

// crawlChild runs `khabar crawl` as a child process (the test binary, see
// TestMain) so that its peak memory is its own, and returns its output,
// how long it took, its peak resident set in bytes and the CPU time (user
// and system) it used, a figure less bound to the machine's load.
func crawlChild(t *testing.T, data string) (out string, took time.Duration, maxRSS int64, cpu time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	args := strings.Join([]string{"--data", data, "--allow-private-networks", "crawl"}, "\x1f")
	// The child reports its own peak (VmHWM): the rusage maxrss of a child
	// started by vfork and exec also counts the parent's resident memory
	// at that moment, so it grew with whatever this package's tests had
	// done before.
	peakFile := filepath.Join(t.TempDir(), "peak")
	cmd.Env = append(append(os.Environ(), "KHABAR_TEST_CHILD_ARGS="+args, "KHABAR_TEST_CHILD_PEAK="+peakFile), hostileEnv...)
	start := time.Now()
	err := cmd.Run()
	took = time.Since(start)
	if err != nil {
		t.Fatalf("khabar crawl: %v after %v\nstdout: %s\nstderr: %s", err, took, stdout.String(), stderr.String())
	}
	if b, err := os.ReadFile(peakFile); err == nil {
		maxRSS, _ = strconv.ParseInt(string(b), 10, 64)
	}
	cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	if testing.Verbose() {
		t.Logf("crawl stderr:\n%s", stderr.String())
	}
	return stdout.String(), took, maxRSS, cpu
}

func listSources(t *testing.T, ctx context.Context, data string) map[string]sourceJSON {
	t.Helper()
	var srcs []sourceJSON
	if err := json.Unmarshal([]byte(run(t, ctx, data, "", "sources", "list", "--json")), &srcs); err != nil {
		t.Fatal(err)
	}
	m := map[string]sourceJSON{}
	for _, s := range srcs {
		m[s.URL] = s
	}
	return m
}

// TestHostileCrawl crawls good feeds beside every kind of hostile source on
// one host, and checks that the crawl ends in time and within memory, keeps
// every good article, names each failure, obeys robots.txt, decodes
// windows-1256, strips scripts, and on a second crawl sends conditional
// requests and leaves the rate-limited source alone.
func TestHostileCrawl(t *testing.T) {
	if testing.Short() {
		t.Skip("a crawl of hostile sources takes tens of seconds")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h := newHostileHost(t)
	data := t.TempDir()
	for _, s := range hostileSources {
		run(t, ctx, data, "", "sources", "add", h.srv.URL+s.path)
	}

	out, took, rss, cpu := crawlChild(t, data)
	t.Logf("first crawl: %v wall, %v CPU, peak RSS %.1f MiB: %s", took.Round(time.Millisecond), cpu.Round(time.Millisecond), float64(rss)/(1<<20), strings.TrimSpace(out))
	if took > 120*time.Second {
		t.Errorf("the crawl took %v, want at most 120s", took)
	}
	if rss <= 0 {
		t.Errorf("peak RSS not measured")
	} else if rss > 512<<20 {
		t.Errorf("the crawl peaked at %d MiB, want at most 512 MiB", rss>>20)
	}
	if !strings.Contains(out, fmt.Sprintf("crawled %d sources", len(hostileSources))) {
		t.Errorf("crawl said %q", out)
	}

	srcs := listSources(t, ctx, data)
	total := 0
	for _, want := range hostileSources {
		s, ok := srcs[h.srv.URL+want.path]
		if !ok {
			t.Errorf("%s: not listed", want.path)
			continue
		}
		total += s.Articles
		if s.LastFetched == nil {
			t.Errorf("%s: last_fetched not set", want.path)
		}
		if want.articles >= 0 && s.Articles != want.articles {
			t.Errorf("%s: %d articles, want %d (last_error %q)", want.path, s.Articles, want.articles, s.LastError)
		}
		if want.articles < 0 && s.Articles != 0 {
			t.Errorf("%s: %d articles from a bad source", want.path, s.Articles)
		}
		if want.errWords == nil {
			if s.LastError != "" {
				t.Errorf("%s: last_error %q, want none", want.path, s.LastError)
			}
			continue
		}
		low := strings.ToLower(s.LastError)
		for _, w := range want.errWords {
			if !strings.Contains(low, strings.ToLower(w)) {
				t.Errorf("%s: last_error %q does not say %q", want.path, s.LastError, w)
			}
		}
		if len(s.LastError) > 600 {
			t.Errorf("%s: last_error is %d bytes long; a clear error is short", want.path, len(s.LastError))
		}
		t.Logf("%s: %s", want.path, s.LastError)
	}

	// robots.txt is obeyed, the huge feed's work bounded, the 429 asked once
	if n, _, _ := h.count("/private/secret.html"); n != 0 {
		t.Errorf("the page robots.txt disallows was requested %d times", n)
	}
	if n := h.countPrefix("/big/"); n != maxItems {
		t.Errorf("%d pages of the 10,000-item feed fetched, want %d (KHABAR_MAX_ITEMS)", n, maxItems)
	}
	if n, _, _ := h.count("/busy.xml"); n != 1 {
		t.Errorf("the 429 source was asked %d times in one crawl, want 1", n)
	}
	// one request at a time to the host, 50ms apart (KHABAR_PER_HOST_DELAY)
	if gap, a, b := h.closestRequests(); gap < 49*time.Millisecond {
		t.Errorf("requests to one host only %v apart (%s then %s), want at least the 50ms per-host delay", gap, a, b)
	} else {
		t.Logf("closest requests to the host: %v apart", gap.Round(time.Millisecond))
	}
	if len(h.badUA) > 0 {
		t.Errorf("requests without khabar's User-Agent: %q", h.badUA)
	}
	if n := h.countPrefix("/stall/"); n > 3 {
		t.Errorf("%d hanging pages of one source were waited for, want the crawler to give up on the source after 3", n)
	}
	if cp := srcs[h.srv.URL+"/cp1256.xml"]; cp.Title != cp1256FeedTitle {
		t.Errorf("windows-1256 feed title %q, want %q", cp.Title, cp1256FeedTitle)
	}

	// the stored articles: windows-1256 titles decoded, no script anywhere
	st, err := sqlite.Open(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	cpID, injID := srcs[h.srv.URL+"/cp1256.xml"].ID, srcs[h.srv.URL+"/inject.xml"].ID
	cpTitles := map[string]bool{}
	var inject *model.Article
	stored := 0
	unsafe := regexp.MustCompile(`(?i)<script|<iframe|<style|\bon[a-z]+\s*=|javascript:|pwned|alert\(`)
	err = st.EachArticle(ctx, func(a *model.Article) error {
		stored++
		if a.SourceID == cpID {
			cpTitles[a.Title] = true
		}
		if a.SourceID == injID {
			c := *a
			inject = &c
		}
		for field, v := range map[string]string{"html": a.HTML, "summary": a.Summary, "text": a.Text, "title": a.Title} {
			if m := unsafe.FindString(v); m != "" {
				t.Errorf("article %s: %s holds %q", a.URL, field, m)
			}
		}
		return nil
	})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	if stored != total {
		t.Errorf("%d articles stored, sources count %d", stored, total)
	}
	if !cpTitles[cp1256Title1] || !cpTitles[cp1256Title2] {
		t.Errorf("windows-1256 article titles %v, want %q and %q", cpTitles, cp1256Title1, cp1256Title2)
	}
	var injectID int64
	if inject == nil {
		t.Errorf("the script-injection article was not kept")
	} else {
		injectID = inject.ID
		if !strings.Contains(inject.Summary, "ملخص الخبر المحقون") {
			t.Errorf("injected article summary %q lost the feed's text", inject.Summary)
		}
		if !strings.Contains(inject.Text, "فقرة فيها حدث نقر") || inject.HTML == "" {
			t.Errorf("injected article lost the page's own text: text %q, html %d bytes", inject.Text, len(inject.HTML))
		}
	}

	// what the portal serves of the injected article holds no script either
	if injectID != 0 {
		base, stop := serveData(t, ctx, data)
		code, page := get(t, fmt.Sprintf("%s/articles/%d", base, injectID))
		if code != 200 || !strings.Contains(page, "فقرة فيها حدث نقر") {
			t.Errorf("article page: %d, shows the text: %v", code, strings.Contains(page, "فقرة فيها حدث نقر"))
		}
		if m := unsafe.FindString(withoutData(t, page)); m != "" {
			t.Errorf("the served article page holds %q", m)
		}
		stop()
	}

	// A second crawl, as a manual `khabar crawl`: it re-polls the healthy
	// sources with their validators, and leaves the rate-limited one alone.
	_, inmRSS, _ := h.count("/good/rss.xml")
	_, inmAtom, _ := h.count("/good/atom.xml")
	var o, e bytes.Buffer
	start := time.Now()
	code := Run(ctx, []string{"--data", data, "--allow-private-networks", "crawl"}, hostileEnv, strings.NewReader(""), &o, &e)
	t.Logf("second crawl: %v: %s", time.Since(start).Round(time.Millisecond), strings.TrimSpace(o.String()))
	if code != 0 {
		t.Fatalf("second crawl: exit %d: %s %s", code, o.String(), e.String())
	}
	if _, n, _ := h.count("/good/rss.xml"); n <= inmRSS {
		t.Errorf("the second crawl sent no If-None-Match to the RSS feed")
	}
	if _, n, _ := h.count("/good/atom.xml"); n <= inmAtom {
		t.Errorf("the second crawl sent no If-None-Match to the Atom feed")
	}
	if n, _, _ := h.count("/busy.xml"); n != 1 {
		t.Errorf("the 429 source (Retry-After: 3600) was asked %d times over two crawls, want 1", n)
	}
	if n, _, _ := h.count("/private/secret.html"); n != 0 {
		t.Errorf("the page robots.txt disallows was requested %d times over two crawls", n)
	}
	after := listSources(t, ctx, data)
	for _, want := range hostileSources {
		u := h.srv.URL + want.path
		if after[u].Articles != srcs[u].Articles {
			t.Errorf("%s: %d articles after the second crawl, %d before", want.path, after[u].Articles, srcs[u].Articles)
		}
		if want.errWords == nil && after[u].LastError != "" {
			t.Errorf("%s: last_error %q after the second crawl", want.path, after[u].LastError)
		}
	}
}

// serveData starts `khabar serve --no-crawl` over data on a free port and
// returns its base URL and a function that stops it.
func serveData(t *testing.T, ctx context.Context, data string) (string, func()) {
	t.Helper()
	var out lockedBuffer
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan int, 1)
	go func() {
		done <- Run(sctx, []string{"--data", data, "serve", "--no-crawl", "--addr", "127.0.0.1:0"},
			[]string{"KHABAR_LOG_LEVEL=warn", "KHABAR_ADMIN_TOKEN=secret"}, strings.NewReader(""), &out, io.Discard)
	}()
	stop := func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exited %d", code)
		}
	}
	addrRe := regexp.MustCompile(`serving on (http://\S+)`)
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := addrRe.FindStringSubmatch(out.String()); m != nil {
			return m[1], stop
		}
	}
	stop()
	t.Fatalf("serve did not start: %s", out.String())
	return "", nil
}
