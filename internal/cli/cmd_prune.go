package cli

import (
	"context"
	"fmt"
	"time"

	"khabar/internal/store"
)

// pruneBatch is how many articles one prune transaction deletes.
const pruneBatch = 1000

func runPrune(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "prune")
	beforeFlag := fs.String("before", "", "delete articles published before this date (YYYY-MM-DD, UTC); default: now less KHABAR_RETAIN")
	noReclaim := fs.Bool("no-reclaim", false, "do not give the freed space back afterwards")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	var before time.Time
	switch {
	case *beforeFlag != "":
		before, err = time.Parse(time.DateOnly, *beforeFlag)
		if err != nil {
			return usagef("--before %q: want a date such as 2025-01-31", *beforeFlag)
		}
	case a.cfg.Retain > 0:
		before = time.Now().UTC().Add(-a.cfg.Retain)
	default:
		return usagef("want --before DATE, or KHABAR_RETAIN set (such as 365d)")
	}
	if before.After(time.Now()) {
		return usagef("--before %s is in the future: that would delete today's news", before.Format(time.DateOnly))
	}
	st, err := a.store(ctx)
	if err != nil {
		return err
	}
	n, err := prune(ctx, st, before, !*noReclaim)
	fmt.Fprintf(a.stdout, "pruned %d articles published before %s (starred articles kept)\n", n, before.Format(time.DateOnly))
	return err
}

// prune deletes the articles older than before, a batch per transaction,
// then gives the space back when reclaim is set and something went.
func prune(ctx context.Context, st store.Store, before time.Time, reclaim bool) (int, error) {
	total := 0
	for {
		n, err := st.PruneArticles(ctx, before, pruneBatch)
		total += n
		if err != nil {
			return total, err
		}
		if n == 0 {
			break
		}
	}
	if reclaim && total > 0 {
		if err := st.Reclaim(ctx); err != nil {
			return total, err
		}
	}
	return total, nil
}

// retain prunes what KHABAR_RETAIN no longer keeps, at start and then
// every hour, until ctx ends.
func (a *app) retain(ctx context.Context, st store.Store) {
	for {
		before := time.Now().UTC().Add(-a.cfg.Retain)
		n, err := prune(ctx, st, before, true)
		switch {
		case err != nil && ctx.Err() == nil:
			a.log.Error("prune", "err", err, "before", before.Format(time.DateOnly), "pruned", n)
		case n > 0:
			a.log.Info("pruned old articles", "before", before.Format(time.DateOnly), "pruned", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Hour):
		}
	}
}
