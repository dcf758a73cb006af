package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"khabar/internal/model"
	"khabar/internal/store"
)

var base = time.Date(2024, 3, 2, 9, 30, 0, 0, time.UTC)

// Two workers, each with its own pool as two processes would have, claim
// from 40 sources at once: every source is claimed exactly once a round.
func TestTwoWorkersClaimEachSourceOnce(t *testing.T) {
	cfg := newSchema(t)
	w1, w2 := openConfig(t, cfg), openConfig(t, cfg)
	defer w1.Close()
	defer w2.Close()
	ctx := t.Context()
	for i := range 40 {
		if err := w1.AddSource(ctx, &model.Source{URL: fmt.Sprintf("https://s%d.example/feed", i)}); err != nil {
			t.Fatal(err)
		}
	}
	for round := range 3 {
		now := base.Add(time.Duration(round) * time.Hour)
		var (
			mu     sync.Mutex
			counts = map[int64]int{}
			per    = map[int]int{}
			wg     sync.WaitGroup
		)
		for w, st := range []*Store{w1, w2} {
			wg.Go(func() {
				for {
					got, err := st.ClaimDueSources(ctx, now, 30*time.Minute, 2)
					if err != nil {
						t.Error(err)
						return
					}
					if len(got) == 0 {
						return
					}
					mu.Lock()
					for _, src := range got {
						counts[src.ID]++
						per[w]++
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(counts) != 40 {
			t.Errorf("round %d: %d sources claimed, want 40", round, len(counts))
		}
		for id, n := range counts {
			if n != 1 {
				t.Errorf("round %d: source %d claimed %d times", round, id, n)
			}
		}
		t.Logf("round %d: worker 1 claimed %d, worker 2 claimed %d", round, per[0], per[1])
	}
}

// ingestCopy is what ingest does for one article under the band lock:
// look for a stored copy sharing bands, join its story, save.
func ingestCopy(ctx context.Context, s *Store, url string, bands []uint64) (*model.Article, error) {
	a := &model.Article{URL: url, Title: "انفجار في المرفأ", Published: base, SourceName: url}
	ix := store.IndexData{TitleTerms: "انفجار مرفا", Bands: bands}
	err := s.WithBandLock(ctx, bands, func(ctx context.Context) error {
		cands, err := s.Candidates(ctx, bands, base.Add(-24*time.Hour), 10)
		if err != nil {
			return err
		}
		if len(cands) > 0 {
			a.StoryID = cands[0].StoryID
			a.DuplicateOf = cands[0].ID
		}
		// Widen the window between the look-up and the save, where
		// another worker would slip in without the lock.
		time.Sleep(20 * time.Millisecond)
		_, err = s.SaveArticle(ctx, a, ix)
		return err
	})
	return a, err
}

// Two workers ingest copies of one story at the same moment: with the band
// lock the second sees the first and joins its story.
func TestBandLockJoinsConcurrentCopies(t *testing.T) {
	cfg := newSchema(t)
	w1, w2 := openConfig(t, cfg), openConfig(t, cfg)
	defer w1.Close()
	defer w2.Close()
	ctx := t.Context()
	for i := range 5 {
		// The copies share one band (7+i), not the smallest of either.
		b1 := []uint64{uint64(1000*i + 1), uint64(7 + i), 1<<62 + uint64(10*i)}
		b2 := []uint64{uint64(1000*i + 2), uint64(7 + i), 1<<62 + uint64(10*i+1)}
		var (
			a1, a2     *model.Article
			err1, err2 error
			wg         sync.WaitGroup
		)
		wg.Go(func() { a1, err1 = ingestCopy(ctx, w1, fmt.Sprintf("https://one.example/%d", i), b1) })
		wg.Go(func() { a2, err2 = ingestCopy(ctx, w2, fmt.Sprintf("https://two.example/%d", i), b2) })
		wg.Wait()
		if err1 != nil || err2 != nil {
			t.Fatalf("ingest: %v, %v", err1, err2)
		}
		if a1.StoryID != a2.StoryID {
			t.Errorf("copy %d: concurrent copies in stories %d and %d, want one", i, a1.StoryID, a2.StoryID)
		}
		if (a1.DuplicateOf == 0) == (a2.DuplicateOf == 0) {
			t.Errorf("copy %d: duplicate links %d, %d; want exactly one copy marked", i, a1.DuplicateOf, a2.DuplicateOf)
		}
	}
	// The locks are gone once fn returns: a third caller does not wait.
	c, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := w1.WithBandLock(c, []uint64{7}, func(context.Context) error { return nil }); err != nil {
		t.Errorf("band lock after the ingests: %v", err)
	}
}

// A band lock held by one worker makes another wait, up to its context.
func TestBandLockWaitsWithContext(t *testing.T) {
	cfg := newSchema(t)
	w1, w2 := openConfig(t, cfg), openConfig(t, cfg)
	defer w1.Close()
	defer w2.Close()
	held := make(chan struct{})
	release := make(chan struct{})
	go w1.WithBandLock(t.Context(), []uint64{42, 43}, func(context.Context) error {
		close(held)
		<-release
		return nil
	})
	<-held
	c, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	ran := false
	err := w2.WithBandLock(c, []uint64{43}, func(context.Context) error { ran = true; return nil })
	if err == nil || ran || !strings.Contains(err.Error(), "band lock") {
		t.Errorf("second lock while held: ran %v, %v; want a band lock error", ran, err)
	}
	close(release)
	// Other bands are not held: no wait.
	if err := w2.WithBandLock(t.Context(), []uint64{44}, func(context.Context) error { return nil }); err != nil {
		t.Error(err)
	}
	// A failing fn's error comes back as is, and the lock is released.
	boom := errors.New("boom")
	if err := w2.WithBandLock(t.Context(), []uint64{43}, func(context.Context) error { return boom }); !errors.Is(err, boom) {
		t.Errorf("fn error: %v", err)
	}
	if err := w1.WithBandLock(t.Context(), []uint64{43}, func(context.Context) error { return nil }); err != nil {
		t.Errorf("lock after a failed fn: %v", err)
	}
}
