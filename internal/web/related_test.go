package web

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"khabar/internal/model"
	"khabar/internal/search"
)

// slowSearcher wraps a Searcher: Related waits for release (when set),
// counts its calls and can fail.
type slowSearcher struct {
	search.Searcher
	calls   atomic.Int64
	release chan struct{}
	fail    atomic.Bool
}

func (s *slowSearcher) Related(ctx context.Context, a model.Article, limit int) ([]model.ArticleRef, error) {
	s.calls.Add(1)
	if s.release != nil {
		select {
		case <-s.release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if s.fail.Load() {
		return nil, errors.New("search: index unavailable")
	}
	return s.Searcher.Related(ctx, a, limit)
}

func TestRelatedReadingIsTimeBoxedAndCached(t *testing.T) {
	f := newFixture(t)
	slow := &slowSearcher{release: make(chan struct{})}
	s := f.server(t, func(c *Config) {
		slow.Searcher = c.Search
		c.Search = slow
		c.RelatedWait = 20 * time.Millisecond
	})
	path := "/articles/" + itoa(f.ref.ID)

	// The search hangs: the page comes without related reading, in time.
	start := time.Now()
	body := checkPage(t, get(t, s, path), 200)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("page took %s while related reading hung", d)
	}
	if strings.Contains(body, "اقرأ أيضاً") {
		t.Errorf("related reading shown before the search answered")
	}
	mustContain(t, body, f.ref.Title, "تغطيات أخرى للخبر")
	// Views meanwhile share the computation already running.
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(func() { get(t, s, path) })
	}
	wg.Wait()
	if n := slow.calls.Load(); n != 1 {
		t.Errorf("%d related searches for one article, want 1", n)
	}
	// Once it answers, the next view shows it from the cache.
	close(slow.release)
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(body, "اقرأ أيضاً") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
		body = checkPage(t, get(t, s, path), 200)
	}
	mustContain(t, body, "اقرأ أيضاً", "وزير سوري سابق")
	checkPage(t, get(t, s, path), 200)
	if n := slow.calls.Load(); n != 1 {
		t.Errorf("%d related searches after the cache filled, want 1", n)
	}
}

func TestRelatedReadingFailureIsRetried(t *testing.T) {
	f := newFixture(t)
	slow := &slowSearcher{}
	slow.fail.Store(true)
	s := f.server(t, func(c *Config) { slow.Searcher = c.Search; c.Search = slow })
	path := "/articles/" + itoa(f.ref.ID)
	body := checkPage(t, get(t, s, path), 200)
	if strings.Contains(body, "اقرأ أيضاً") {
		t.Errorf("related reading shown although the search failed")
	}
	mustContain(t, body, f.ref.Title)
	// A failure is not cached: the next view searches again.
	slow.fail.Store(false)
	body = checkPage(t, get(t, s, path), 200)
	mustContain(t, body, "اقرأ أيضاً")
	if n := slow.calls.Load(); n != 2 {
		t.Errorf("%d related searches, want 2", n)
	}
}

func TestRelatedReadingWorkersAreBounded(t *testing.T) {
	f := newFixture(t)
	slow := &slowSearcher{release: make(chan struct{})}
	s := f.server(t, func(c *Config) {
		slow.Searcher = c.Search
		c.Search = slow
		c.RelatedWait = time.Millisecond
	})
	ctx := context.Background()
	// Articles the searcher never answers for fill every worker; more
	// pages go without related reading instead of starting more searches.
	for i := int64(1); i <= relatedWorkers+3; i++ {
		if _, ok := s.related(ctx, model.Article{ID: 1000 + i}); ok {
			t.Errorf("article %d: related reading known while the search hangs", 1000+i)
		}
	}
	if n := slow.calls.Load(); n > relatedWorkers {
		t.Errorf("%d searches running, bound is %d", n, relatedWorkers)
	}
	close(slow.release)
}

func TestRelatedReadingWaitsForSpareCPU(t *testing.T) {
	f := newFixture(t)
	slow := &slowSearcher{}
	s := f.server(t, func(c *Config) { slow.Searcher = c.Search; c.Search = slow })
	ctx := context.Background()
	// More article pages in flight than processors: no search starts.
	s.busy.Add(int64(runtime.GOMAXPROCS(0)) + 1)
	if _, ok := s.related(ctx, f.ref); ok || slow.calls.Load() != 0 {
		t.Errorf("related reading computed on a busy server (%d searches)", slow.calls.Load())
	}
	// Idle: nothing in flight, and (unlike a second after the busy call
	// above) no memory of load, so the page waits its full RelatedWait for
	// the real search rather than the brief wait of a loaded server.
	s.busy.Store(0)
	s.rel.mu.Lock()
	s.rel.loadedAt = time.Time{}
	s.rel.mu.Unlock()
	if refs, ok := s.related(ctx, f.ref); !ok || len(refs) == 0 {
		t.Errorf("related reading of an idle server: %v %v", refs, ok)
	}
	// Once known, it is served from the cache even when busy.
	s.busy.Add(int64(runtime.GOMAXPROCS(0)) + 1)
	if refs, ok := s.related(ctx, f.ref); !ok || len(refs) == 0 || slow.calls.Load() != 1 {
		t.Errorf("cached related reading on a busy server: %v %v (%d searches)", refs, ok, slow.calls.Load())
	}
}

// TestRelatedReadingOnALoadedServer: while other pages are in flight, a
// page waits for a search only briefly, and searches are paced so that
// related reading takes a bounded share of the CPU; a page read alone
// still waits its full RelatedWait and always starts a search.
func TestRelatedReadingOnALoadedServer(t *testing.T) {
	f := newFixture(t)
	slow := &slowSearcher{release: make(chan struct{})}
	s := f.server(t, func(c *Config) { slow.Searcher = c.Search; c.Search = slow })
	ctx := context.Background()

	// Another page in flight: the search hangs, the page does not wait
	// its RelatedWait (10 s in these tests).
	s.busy.Store(2)
	start := time.Now()
	if _, ok := s.related(ctx, f.ref); ok {
		t.Errorf("related reading known while the search hangs")
	}
	if d := time.Since(start); d > 5*relatedBusyWait+time.Second {
		t.Errorf("a page of a loaded server waited %s for related reading", d)
	}
	close(slow.release)
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, ok := s.related(ctx, f.ref); ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the search never finished")
		}
		time.Sleep(time.Millisecond)
	}
	for len(s.rel.workers) > 0 { // the worker frees its slot just after
		time.Sleep(time.Millisecond)
	}

	// The worker rests after a search before it starts another for a
	// loaded server ...
	s.rel.mu.Lock()
	s.rel.restUntil = time.Now().Add(time.Hour)
	s.rel.mu.Unlock()
	calls := slow.calls.Load()
	if _, ok := s.related(ctx, f.copyOf); ok || slow.calls.Load() != calls {
		t.Errorf("a search started on a loaded server while the worker rests (%d searches)", slow.calls.Load()-calls)
	}
	// ... but not for a reader alone, who also waits the search out.
	s.busy.Store(1)
	s.rel.mu.Lock()
	s.rel.loadedAt = time.Time{}
	s.rel.mu.Unlock()
	if _, ok := s.related(ctx, f.copyOf); !ok || slow.calls.Load() != calls+1 {
		t.Errorf("a reader alone got no related reading (%d searches)", slow.calls.Load()-calls)
	}
}
