// Package storyinfo keeps each story's details (package coverage) current
// in the store: it computes them when a story has changed — after a crawl
// or an import, and at the latest when the story is next read — and
// stores them, so that reading a story never recomputes what did not
// change.
package storyinfo

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"khabar/internal/coverage"
	"khabar/internal/model"
	"khabar/internal/store"
)

// maxMembers bounds the articles read to compute a story's details (a
// story spans at most a week; the earliest articles are kept).
const maxMembers = 500

// activeMargin widens a story's span when asking which outlets were
// active in the same days.
const activeMargin = 24 * time.Hour

// refresher computes stories' details with what they share loaded once
// per run: the outlet profiles, and which outlets published on each day.
type refresher struct {
	s    store.Store
	prof coverage.Profiles
	mu   sync.Mutex             // guards days: a refresh computes stories side by side
	days map[time.Time][]string // a UTC day → the outlets active that day
}

func newRefresher(ctx context.Context, s store.Store) (*refresher, error) {
	all, err := s.ListOutlets(ctx)
	if err != nil {
		return nil, err
	}
	by := make(map[string]model.Outlet, len(all))
	for _, o := range all {
		by[o.Key] = o
	}
	prof := func(k string) (model.Outlet, bool) { o, ok := by[k]; return o, ok }
	return &refresher{s: s, prof: prof, days: map[time.Time][]string{}}, nil
}

// maxActiveDays bounds the days of a span whose active outlets are read
// day by day (and kept for the stories after); a longer span is read at
// once.
const maxActiveDays = 16

// active returns the outlets that published in the whole UTC days that
// cover [since, until).
func (r *refresher) active(ctx context.Context, since, until time.Time) ([]string, error) {
	from := since.UTC().Truncate(24 * time.Hour)
	if !until.After(from) || until.Sub(from) > maxActiveDays*24*time.Hour {
		return r.s.ActiveOutlets(ctx, since, until)
	}
	seen := map[string]bool{}
	var out []string
	for d := from; d.Before(until); d = d.Add(24 * time.Hour) {
		r.mu.Lock()
		keys, ok := r.days[d]
		r.mu.Unlock()
		if !ok {
			var err error
			if keys, err = r.s.ActiveOutlets(ctx, d, d.Add(24*time.Hour)); err != nil {
				return nil, err
			}
			r.mu.Lock()
			r.days[d] = keys
			r.mu.Unlock()
		}
		for _, k := range keys {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	return out, nil
}

// Compute works out the details of story st (as GetStory returned it)
// from its stored articles.
func Compute(ctx context.Context, s store.Store, st model.Story, prof coverage.Profiles) (model.StoryDetails, error) {
	r := &refresher{s: s, prof: prof, days: map[time.Time][]string{}}
	return r.compute(ctx, st)
}

func (r *refresher) compute(ctx context.Context, st model.Story) (model.StoryDetails, error) {
	arts, _, err := r.s.ListArticles(ctx, store.ArticleFilter{StoryID: st.ID, Limit: maxMembers})
	if err != nil {
		return model.StoryDetails{}, err
	}
	d := coverage.Compute(arts, r.prof)
	if coverage.LeanCandidate(d.Coverage) {
		active, err := r.active(ctx, st.FirstSeen.Add(-activeMargin), st.LastSeen.Add(activeMargin))
		if err != nil {
			return model.StoryDetails{}, err
		}
		d.Lean = coverage.Lean(d.Coverage, active, r.prof)
		d.OneSided = d.Lean != ""
	}
	return d, nil
}

// refresh computes and stores the details of one story; the story comes
// back with them.
func (r *refresher) refresh(ctx context.Context, id int64) (model.Story, error) {
	for attempt := 0; ; attempt++ {
		st, err := r.s.GetStory(ctx, id)
		if err != nil {
			return model.Story{}, err
		}
		d, err := r.compute(ctx, st)
		if err != nil {
			return model.Story{}, err
		}
		saved, err := r.s.SaveStoryDetails(ctx, []store.StoryDetailsUpdate{{ID: id, Rev: st.Rev, Details: d}})
		if err != nil {
			return model.Story{}, err
		}
		st.Details, st.DetailsRev = &d, st.Rev
		// Changed meanwhile: once more, then serve what was computed; the
		// next refresh catches up.
		if saved[0] || attempt == 1 {
			return st, nil
		}
	}
}

// Story returns the story with current details, computing and storing
// them first when the story changed since they were.
func Story(ctx context.Context, s store.Store, id int64) (model.Story, error) {
	st, err := s.GetStory(ctx, id)
	if err != nil {
		return model.Story{}, err
	}
	if st.Details != nil && st.DetailsRev == st.Rev {
		return st, nil
	}
	r, err := newRefresher(ctx, s)
	if err != nil {
		return model.Story{}, fmt.Errorf("storyinfo: story %d: %w", id, err)
	}
	if st, err = r.refresh(ctx, id); err != nil {
		return model.Story{}, fmt.Errorf("storyinfo: story %d: %w", id, err)
	}
	return st, nil
}

// computeAll computes the details of the stories ids, on as many
// goroutines as there are processors (a story's details are CPU work:
// after an import, thousands wait), and returns them in the order of ids;
// a story merged away meanwhile is left out.
func (r *refresher) computeAll(ctx context.Context, ids []int64) ([]store.StoryDetailsUpdate, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ups := make([]store.StoryDetailsUpdate, len(ids)) // ID 0: merged away
	var (
		next     atomic.Int64
		errOnce  sync.Once
		firstErr error
		wg       sync.WaitGroup
	)
	fail := func(err error) {
		errOnce.Do(func() { firstErr = err; cancel() })
	}
	for range min(runtime.GOMAXPROCS(0), len(ids)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(ids) || ctx.Err() != nil {
					return
				}
				st, err := r.s.GetStory(ctx, ids[i])
				if errors.Is(err, store.ErrNotFound) {
					continue // merged away meanwhile
				}
				var d model.StoryDetails
				if err == nil {
					d, err = r.compute(ctx, st)
				}
				if err != nil {
					fail(fmt.Errorf("storyinfo: refresh story %d: %w", ids[i], err))
					return
				}
				ups[i] = store.StoryDetailsUpdate{ID: ids[i], Rev: st.Rev, Details: d}
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return slices.DeleteFunc(ups, func(u store.StoryDetailsUpdate) bool { return u.ID == 0 }), nil
}

// staleBatch is how many stale stories a refresh computes before it
// stores their details together: one write for many reads (on SQLite each
// write makes the next read start over with a cold page cache).
const staleBatch = 200

// RefreshStale computes and stores the details of the stories that
// changed since theirs were, up to limit of them (0: all), and returns
// how many it stored. A story that changes while its details are computed
// stays stale for the next refresh.
func RefreshStale(ctx context.Context, s store.Store, limit int) (int, error) {
	r, err := newRefresher(ctx, s)
	if err != nil {
		return 0, fmt.Errorf("storyinfo: refresh: %w", err)
	}
	n := 0
	for limit == 0 || n < limit {
		batch := staleBatch
		if limit > 0 {
			batch = min(batch, limit-n)
		}
		ids, err := s.StaleStories(ctx, batch)
		if err != nil {
			return n, fmt.Errorf("storyinfo: refresh: %w", err)
		}
		if len(ids) == 0 {
			return n, nil
		}
		ups, err := r.computeAll(ctx, ids)
		if err != nil {
			return n, err
		}
		saved, err := s.SaveStoryDetails(ctx, ups)
		if err != nil {
			return n, fmt.Errorf("storyinfo: refresh: %w", err)
		}
		done := 0
		for _, ok := range saved {
			if ok {
				done++
			}
		}
		n += done
		if done == 0 {
			return n, nil // every one changed again meanwhile: leave them for the next round
		}
	}
	return n, nil
}
