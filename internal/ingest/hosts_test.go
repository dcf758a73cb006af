package ingest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"khabar/internal/analysis"
	"khabar/internal/entities"
	"khabar/internal/fetch"
	"khabar/internal/model"
	"khabar/internal/store"
	"khabar/internal/store/sqlite"
)

// countingHost serves one-item feeds and their pages and counts requests.
type countingHost struct {
	srv *httptest.Server
	mu  sync.Mutex
	n   int
}

func newCountingHost(t *testing.T) *countingHost {
	h := &countingHost{}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		h.n++
		h.mu.Unlock()
		var id int
		if _, err := fmt.Sscanf(r.URL.Path, "/feed/%d.xml", &id); err == nil {
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>f%d</title><item><title>خبر %d</title><link>%s/page/%d.html</link></item></channel></rss>`, id, id, h.srv.URL, id)
			return
		}
		if _, err := fmt.Sscanf(r.URL.Path, "/page/%d.html", &id); err == nil {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, articleHTML(id+1000*len(r.Host)))
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *countingHost) requests() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.n
}

// TestCrawlTakesOverAfterLease: the hosts of a worker that died holding
// them wait until its lease ends; then another crawler takes their
// sources, while the hosts nobody held are crawled at once.
func TestCrawlTakesOverAfterLease(t *testing.T) {
	ctx := context.Background()
	dead, free := newCountingHost(t), newCountingHost(t)
	st, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for i := range 2 {
		for _, h := range []*countingHost{dead, free} {
			if err := st.AddSource(ctx, &model.Source{URL: fmt.Sprintf("%s/feed/%d.xml", h.srv.URL, i)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	t0 := time.Now()
	const lease = 10 * time.Minute // shorter than the polling interval of the free host's sources
	got, err := st.ClaimHosts(ctx, store.HostClaimRequest{Owner: "died", Now: t0, Lease: lease, MaxHosts: 1})
	if err != nil || len(got) != 1 {
		t.Fatalf("claim of the worker that dies: %v, %v", got, err)
	}
	if got[0].Host != store.SourceHost(dead.srv.URL) {
		// The first due host is the first source's: dead's.
		t.Fatalf("the dead worker holds %s, want %s", got[0].Host, store.SourceHost(dead.srv.URL))
	}
	var mu sync.Mutex
	clock := t0
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	fc := fetch.New(fetch.Config{AllowPrivate: true, PerHostDelay: 0, Timeout: 10 * time.Second})
	rec := entities.New(entities.Options{})
	p := NewPipeline(st, analysis.New(analysis.Options{Names: rec.Names()}), rec, PipelineConfig{})
	c := NewCrawler(st, fc, p, CrawlConfig{Workers: 2, Lease: lease, Now: now, Owner: "alive"})
	rep, err := c.RunOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Sources != 2 || dead.requests() != 0 || free.requests() == 0 {
		t.Fatalf("within the lease: %d sources crawled, %d requests to the held host, %d to the free one; want 2, 0, some",
			rep.Sources, dead.requests(), free.requests())
	}
	mu.Lock()
	clock = t0.Add(lease)
	mu.Unlock()
	rep, err = c.RunOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Sources != 2 || rep.NewArticles != 2 || dead.requests() == 0 {
		t.Errorf("after the lease: %d sources crawled, %d new articles, %d requests to the dead worker's host; want 2, 2, some",
			rep.Sources, rep.NewArticles, dead.requests())
	}
}
