// Package storyinfo keeps each story's details (package coverage) current
// in the store: it computes them when a story has changed — after a crawl
// or an import, and at the latest when the story is next read — and
// stores them, so that reading a story never recomputes what did not
// change.
package storyinfo

import (
	"context"
	"fmt"
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

// profiles loads the outlet profiles once for a run of refreshes.
func profiles(ctx context.Context, st store.Store) (coverage.Profiles, error) {
	all, err := st.ListOutlets(ctx)
	if err != nil {
		return nil, err
	}
	by := make(map[string]model.Outlet, len(all))
	for _, o := range all {
		by[o.Key] = o
	}
	return func(k string) (model.Outlet, bool) { o, ok := by[k]; return o, ok }, nil
}

// Compute works out the details of story st (as GetStory returned it)
// from its stored articles.
func Compute(ctx context.Context, s store.Store, st model.Story, prof coverage.Profiles) (model.StoryDetails, error) {
	arts, _, err := s.ListArticles(ctx, store.ArticleFilter{StoryID: st.ID, Limit: maxMembers})
	if err != nil {
		return model.StoryDetails{}, err
	}
	d := coverage.Compute(arts, prof)
	if coverage.LeanCandidate(d.Coverage) {
		active, err := s.ActiveOutlets(ctx, st.FirstSeen.Add(-activeMargin), st.LastSeen.Add(activeMargin))
		if err != nil {
			return model.StoryDetails{}, err
		}
		d.Lean = coverage.Lean(d.Coverage, active, prof)
		d.OneSided = d.Lean != ""
	}
	return d, nil
}

// refresh computes and stores the details of one story; the story comes
// back with them.
func refresh(ctx context.Context, s store.Store, id int64, prof coverage.Profiles) (model.Story, error) {
	for attempt := 0; ; attempt++ {
		st, err := s.GetStory(ctx, id)
		if err != nil {
			return model.Story{}, err
		}
		d, err := Compute(ctx, s, st, prof)
		if err != nil {
			return model.Story{}, err
		}
		saved, err := s.SaveStoryDetails(ctx, id, st.Rev, d)
		if err != nil {
			return model.Story{}, err
		}
		st.Details, st.DetailsRev = &d, st.Rev
		// Changed meanwhile: once more, then serve what was computed; the
		// next refresh catches up.
		if saved || attempt == 1 {
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
	prof, err := profiles(ctx, s)
	if err != nil {
		return model.Story{}, fmt.Errorf("storyinfo: story %d: %w", id, err)
	}
	if st, err = refresh(ctx, s, id, prof); err != nil {
		return model.Story{}, fmt.Errorf("storyinfo: story %d: %w", id, err)
	}
	return st, nil
}

// RefreshStale computes and stores the details of the stories that
// changed since theirs were, up to limit of them (0: all), and returns
// how many it refreshed.
func RefreshStale(ctx context.Context, s store.Store, limit int) (int, error) {
	prof, err := profiles(ctx, s)
	if err != nil {
		return 0, fmt.Errorf("storyinfo: refresh: %w", err)
	}
	n := 0
	for limit == 0 || n < limit {
		batch := 200
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
		done := 0
		for _, id := range ids {
			if err := ctx.Err(); err != nil {
				return n, err
			}
			st, err := refresh(ctx, s, id, prof)
			if err != nil {
				return n, fmt.Errorf("storyinfo: refresh story %d: %w", id, err)
			}
			if st.DetailsRev == st.Rev {
				done++
			}
			n++
		}
		if done == 0 {
			return n, nil // every one changed again meanwhile: leave them for the next round
		}
	}
	return n, nil
}
