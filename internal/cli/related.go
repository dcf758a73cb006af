package cli

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"khabar/internal/model"
	"khabar/internal/search"
	"khabar/internal/store"
)

// relatedTimeout bounds the related reading of one saved article.
const relatedTimeout = 30 * time.Second

// relatedQueue is how many saved articles may wait for their related
// reading; past it an article goes without until its page computes it.
const relatedQueue = 4096

// relater computes the related reading of saved articles in the
// background, one at a time (search.Service.Offer must not run twice at
// once for one article), so that a crawl never waits for it. During an
// import it only collects the ids (collect), for one pass at the end.
type relater struct {
	svc   *search.Service
	a     *app
	queue chan model.Article
	done  chan struct{}
	once  sync.Once

	mu        sync.Mutex
	collect   bool
	collected []int64
	dropped   atomic.Int64
}

// relater returns the app's relater, started on first use.
func (a *app) relater(ctx context.Context, st store.Store) (*relater, error) {
	if a.rel != nil {
		return a.rel, nil
	}
	an, _, err := a.analysis(ctx, st)
	if err != nil {
		return nil, err
	}
	a.rel = &relater{svc: search.New(st, an), a: a, queue: make(chan model.Article, relatedQueue), done: make(chan struct{})}
	go a.rel.run()
	return a.rel, nil
}

func (r *relater) run() {
	defer close(r.done)
	for art := range r.queue {
		ctx, cancel := context.WithTimeout(context.Background(), relatedTimeout)
		if err := r.svc.Refresh(ctx, art); err != nil {
			r.a.log.Warn("related reading", "article_id", art.ID, "err", err)
		}
		cancel()
	}
}

// saved is the pipeline's OnSaved: it queues art, or collects its id.
func (r *relater) saved(_ context.Context, art *model.Article) {
	r.mu.Lock()
	if r.collect {
		r.collected = append(r.collected, art.ID)
		r.mu.Unlock()
		return
	}
	r.mu.Unlock()
	select {
	case r.queue <- *art:
	default:
		if r.dropped.Add(1) == 1 {
			r.a.log.Warn("related reading falls behind: pages compute it when first viewed", "queue", relatedQueue)
		}
	}
}

// wait lets the queued computations finish, for at most d; no article
// may be saved after it.
func (r *relater) wait(d time.Duration) {
	r.once.Do(func() { close(r.queue) })
	select {
	case <-r.done:
	case <-time.After(d):
		r.a.log.Warn("related reading not all computed", "left", len(r.queue))
	}
}

// collecting switches to collecting ids (for an import) and returns a
// function that ends it and gives the ids collected.
func (r *relater) collecting() func() []int64 {
	r.mu.Lock()
	r.collect = true
	r.mu.Unlock()
	return func() []int64 {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.collect = false
		ids := r.collected
		r.collected = nil
		return ids
	}
}

// relateAll computes and stores the related reading of every article of
// ids, on every core, and offers each to the related reading of the
// articles stored before that it found (the articles of ids each get
// their own in full). progress, when set, is told the count done (one
// call at a time).
func relateAll(ctx context.Context, svc *search.Service, st store.Store, ids []int64, progress func(done int)) error {
	in := make(map[int64]bool, len(ids))
	for _, id := range ids {
		in[id] = true
	}
	return relatePass(ctx, svc, st, ids, in, progress)
}

// relateChunk is how many articles' related reading the pass writes at
// once. Each write makes every reader connection drop its page cache at
// its next read, so a write per article had the searches read their
// pages again from the file each time: writing hundreds at once keeps
// the caches warm.
const relateChunk = 256

// relatePass is relateAll with the set of articles that get their own
// related reading in the pass (and so are offered nothing) given apart
// from the ids computed: a benchmark computes a sample of an import.
// The lists are computed on every core and written relateChunk at a time,
// each chunk's offers to older articles after it, one chunk at a time.
// The candidates read are kept for the pass (search.Service.ForPass): an
// article edited by another process meanwhile may be judged as it was
// when the pass first read it.
func relatePass(ctx context.Context, svc *search.Service, st store.Store, ids []int64, in map[int64]bool, progress func(done int)) error {
	svc = svc.ForPass()
	var (
		next     atomic.Int64
		mu       sync.Mutex // guards pending, offers, firstErr
		pending  []store.RelatedList
		offers   []search.Offering
		firstErr error
		writeMu  sync.Mutex // one chunk written at a time, and progress
		done     int
		wg       sync.WaitGroup
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
	}
	failed := func() bool {
		mu.Lock()
		defer mu.Unlock()
		return firstErr != nil
	}
	write := func(lists []store.RelatedList, offs []search.Offering) {
		writeMu.Lock()
		defer writeMu.Unlock()
		if len(lists) == 0 || failed() {
			return
		}
		if err := st.SaveRelatedLists(ctx, lists); err != nil {
			fail(err)
			return
		}
		if err := svc.OfferAll(ctx, offs); err != nil {
			fail(err)
			return
		}
		done += len(lists)
		if progress != nil {
			progress(done)
		}
	}
	take := func(all bool) ([]store.RelatedList, []search.Offering) {
		if !all && len(pending) < relateChunk {
			return nil, nil
		}
		l, o := pending, offers
		pending, offers = nil, nil
		return l, o
	}
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if int(i) >= len(ids) || ctx.Err() != nil || failed() {
					return
				}
				art, err := st.GetArticle(ctx, ids[i])
				if errors.Is(err, store.ErrNotFound) {
					continue
				}
				if err != nil {
					fail(err)
					return
				}
				links, err := svc.Compute(ctx, art, search.RelatedLimit)
				if err != nil {
					fail(err)
					return
				}
				mu.Lock()
				pending = append(pending, store.RelatedList{ID: art.ID, Links: links})
				for _, l := range links {
					if !in[l.ID] {
						offers = append(offers, search.Offering{To: l.ID, Article: art})
					}
				}
				lists, offs := take(false)
				mu.Unlock()
				write(lists, offs)
			}
		})
	}
	wg.Wait()
	mu.Lock()
	lists, offs := take(true)
	mu.Unlock()
	if ctx.Err() == nil {
		write(lists, offs)
	}
	if firstErr != nil {
		return fmt.Errorf("related reading: %w", firstErr)
	}
	return ctx.Err()
}

// runRelated computes and stores the related reading of every article: for
// a store filled before khabar kept it, or after a change of its rules.
func runRelated(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "related")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("related takes no arguments")
	}
	st, err := a.store(ctx)
	if err != nil {
		return err
	}
	an, _, err := a.analysis(ctx, st)
	if err != nil {
		return err
	}
	var ids []int64
	if err := st.EachArticle(ctx, func(art *model.Article) error {
		ids = append(ids, art.ID)
		return nil
	}); err != nil {
		return err
	}
	start := time.Now()
	show := isTerminal(a.stderr)
	var last time.Time
	err = relateAll(ctx, search.New(st, an), st, ids, func(done int) {
		if show && (done == len(ids) || time.Since(last) >= 200*time.Millisecond) {
			last = time.Now()
			fmt.Fprintf(a.stderr, "\r\033[Krelated: %d/%d", done, len(ids))
		}
	})
	if show {
		fmt.Fprintln(a.stderr)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "related reading of %d articles in %s\n", len(ids), time.Since(start).Round(time.Millisecond))
	return nil
}
