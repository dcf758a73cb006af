package web

import (
	"context"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"khabar/internal/model"
	"khabar/internal/store"
)

// Related reading ("اقرأ أيضاً") is a search over the whole store and the
// costliest part of an article page by far (under load, tens of
// milliseconds of CPU per page against a few for the rest). It is a help,
// not the page, so the page treats it as such:
//
//   - results are cached per article for relatedTTL (new articles may be
//     missing from a list for that long, which readers do not notice);
//   - concurrent views of one article share one computation;
//   - a page waits for it at most Config.RelatedWait; a computation that
//     takes longer finishes in the background and fills the cache for the
//     next view, so a slow search never makes a slow page;
//   - at most relatedWorkers computations run at once, and none starts
//     while more than GOMAXPROCS article pages are being served: past
//     that, a page goes without, rather than taking CPU from the readers
//     (under a load that saturates the CPU related reading is only shown
//     from the cache; with spare CPU every page has it);
//   - on a loaded server (other article pages in flight now or within
//     relatedLoadMemory), a page waits at most relatedBusyWait, so that a
//     search is never in the critical path of a busy server, and a
//     computation starts only after the worker has rested relatedRest
//     times as long as the last one took: with readers in a closed loop
//     "more than GOMAXPROCS pages" is rarely true for long, and the
//     worker took half a core from them. Pages read one at a time wait
//     the full RelatedWait and always start one.
const (
	relatedTTL        = 15 * time.Minute
	relatedCacheSize  = 4096
	relatedTimeout    = 10 * time.Second
	relatedWorkers    = 1
	defaultRelatedMax = 5
	// DefaultRelatedWait is how long an article page waits for related
	// reading when Config.RelatedWait is zero.
	DefaultRelatedWait = 300 * time.Millisecond
	// relatedBusyWait bounds the wait while other pages are in flight: a
	// fraction of the 50 ms a loaded page may take in all.
	relatedBusyWait = 15 * time.Millisecond
	// relatedRest bounds related reading to about 1/(1+relatedRest) of
	// one processor on a loaded server: a tenth (at a quarter it still
	// took 15% of the load test's CPU, as much as rendering pages).
	relatedRest = 9
	// relatedLoadMemory is how long a server counts as loaded after it
	// last served article pages concurrently.
	relatedLoadMemory = time.Second
)

type relatedEntry struct {
	done    chan struct{} // closed when refs and err are set
	refs    []model.ArticleRef
	err     error
	at      time.Time
	version relatedVersion
}

// relatedVersion is what related reading depends on besides the rest of
// the store: a change in the article's story or copy links recomputes it.
type relatedVersion struct {
	story, duplicateOf int64
	hash               string
}

type relatedCache struct {
	mu      sync.Mutex
	entries map[int64]*relatedEntry
	order   []int64 // insertion order, for eviction
	workers chan struct{}
	// restUntil is when the worker has rested enough after its last
	// computation to start another on a loaded server (see relatedRest);
	// loadedAt is when pages were last served concurrently.
	restUntil, loadedAt time.Time
}

func newRelatedCache() *relatedCache {
	return &relatedCache{entries: map[int64]*relatedEntry{}, workers: make(chan struct{}, relatedWorkers)}
}

// related returns the related reading of a, waiting at most wait; ok is
// false when it is not known in time (the page then shows none). The
// reading stored when a was saved is shown as it is, on any load; only
// an article without one (saved before khabar stored it, or whose
// computation failed) goes through the paced search below.
func (s *Server) related(ctx context.Context, a model.Article) (refs []model.ArticleRef, ok bool) {
	if refs, ok, err := s.storedRelated(ctx, a.ID); err != nil {
		s.log.Warn("web: stored related reading", slog.Int64("article", a.ID), slog.Any("err", err))
	} else if ok {
		return refs, true
	}
	c := s.rel
	v := relatedVersion{story: a.StoryID, duplicateOf: a.DuplicateOf, hash: a.ContentHash}
	now := s.now()
	c.mu.Lock()
	e := c.entries[a.ID]
	if e != nil {
		select {
		case <-e.done:
			if e.err != nil || e.version != v || now.Sub(e.at) > relatedTTL {
				e = nil // stale or failed: compute again
			}
		default: // in flight: wait for it below
		}
	}
	// Real time, not s.now, for all that paces CPU: it dates nothing.
	wall := time.Now()
	if s.busy.Load() > 1 { // other article pages in flight besides this one
		c.loadedAt = wall
	}
	loaded := !c.loadedAt.IsZero() && wall.Sub(c.loadedAt) < relatedLoadMemory
	if e == nil {
		if s.busy.Load() > int64(runtime.GOMAXPROCS(0)) || loaded && wall.Before(c.restUntil) {
			c.mu.Unlock()
			return nil, false
		}
		select {
		case c.workers <- struct{}{}:
		default:
			c.mu.Unlock()
			return nil, false
		}
		e = &relatedEntry{done: make(chan struct{}), version: v}
		if _, had := c.entries[a.ID]; !had {
			c.order = append(c.order, a.ID)
		}
		c.entries[a.ID] = e
		for len(c.entries) > relatedCacheSize && len(c.order) > 0 {
			delete(c.entries, c.order[0])
			c.order = c.order[1:]
		}
		// The computation outlives the request that started it.
		bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), relatedTimeout)
		go func() {
			defer cancel()
			start := time.Now()
			refs, err := s.cfg.Search.Related(bg, a, defaultRelatedMax)
			end := time.Now()
			c.mu.Lock()
			e.refs, e.err, e.at = refs, err, s.now()
			c.restUntil = end.Add(relatedRest * end.Sub(start))
			c.mu.Unlock()
			close(e.done)
			<-c.workers
			if err != nil {
				s.log.Warn("web: related reading failed", slog.Int64("article", a.ID), slog.Any("err", err))
			}
		}()
	}
	c.mu.Unlock()

	wait := s.relatedWait
	if loaded {
		wait = min(wait, relatedBusyWait)
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case <-e.done:
	case <-timer.C:
		return nil, false
	case <-ctx.Done():
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e.err != nil {
		return nil, false
	}
	return e.refs, true
}

// storedRelated loads the related reading stored for article id; ok is
// false when none is stored.
func (s *Server) storedRelated(ctx context.Context, id int64) ([]model.ArticleRef, bool, error) {
	links, ok, err := s.cfg.Store.GetRelated(ctx, id)
	if err != nil || !ok {
		return nil, false, err
	}
	refs, err := store.LinkRefs(ctx, s.cfg.Store, links, defaultRelatedMax)
	if err != nil {
		return nil, false, err
	}
	return refs, true, nil
}
