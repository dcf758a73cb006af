package cli

import (
	"context"
	"fmt"
	"time"

	"khabar/internal/corpus"
	"khabar/internal/ingest/bulk"
	"khabar/internal/store"
)

func runImport(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "import")
	related := fs.Bool("related", true, "compute the imported articles' related reading at the end (else pages compute it when first viewed, or 'khabar related' later)")
	files, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usagef("want at least one file (.jsonl, .json or .zip) or folder of them")
	}
	files, err = corpus.Expand(files)
	if err != nil {
		return err
	}
	st, err := a.store(ctx)
	if err != nil {
		return err
	}
	p, err := a.pipeline(ctx, st)
	if err != nil {
		return err
	}
	// Related reading is computed in one pass at the end, when every
	// article of the import is stored: each then finds the others.
	rel, err := a.relater(ctx, st)
	if err != nil {
		return err
	}
	endCollect := rel.collecting()
	var (
		start        = time.Now()
		lastShow     time.Time
		showProgress = isTerminal(a.stderr)
		n            bulk.Counts
	)
	show := func(final bool) {
		if !showProgress || (!final && time.Since(lastShow) < 200*time.Millisecond) {
			return
		}
		lastShow = time.Now()
		rate := float64(n.Created) / max(time.Since(start).Seconds(), 0.001)
		fmt.Fprintf(a.stderr, "\r\033[Kimport: %d new, %d already stored, %d bad (%.0f/s)", n.Created, n.Existing, n.Bad, rate)
	}
	n, err = bulk.Import(ctx, p, func(ctx context.Context, out chan<- corpus.Item) error {
		return corpus.ReadFiles(ctx, files, out)
	}, bulk.ImportOptions{
		Log: a.log,
		Skipped: func(where string, err error) {
			fmt.Fprintf(a.stderr, "\r\033[Kkhabar import: %s: %v (skipped)\n", where, err)
		},
		Progress: func(c bulk.Counts) { n = c; show(false) },
	})
	imported := n.Created
	a.waitAlerts(time.Minute)
	show(true)
	if showProgress {
		fmt.Fprintln(a.stderr)
	}
	if err != nil {
		return err
	}
	compactIndex(ctx, a, st, imported)
	a.refreshStories(ctx, st)
	ids := endCollect()
	if !*related {
		ids = nil
	}
	relStart := time.Now()
	err = relateAll(ctx, rel.svc, st, ids, func(done int) {
		if showProgress && (done == len(ids) || time.Since(lastShow) >= 200*time.Millisecond) {
			lastShow = time.Now()
			fmt.Fprintf(a.stderr, "\r\033[Kimport: related reading %d/%d", done, len(ids))
		}
	})
	if showProgress {
		fmt.Fprintln(a.stderr)
	}
	if err != nil {
		return fmt.Errorf("imported %d articles, but: %w", imported, err)
	}
	fmt.Fprintf(a.stdout, "imported %d articles (%d already stored, %d bad records) in %s, related reading in %s\n",
		imported, n.Existing, n.Bad, relStart.Sub(start).Round(time.Millisecond), time.Since(relStart).Round(time.Millisecond))
	return nil
}

// compactIndex merges the search index's pieces after an import that made
// a tenth of the store or more (store.IndexCompactor): every search and
// related reading then looks a word up once instead of once a piece. A
// smaller import into a large store would rewrite the whole index for
// little. A failure is logged: the index works as it is.
func compactIndex(ctx context.Context, a *app, st store.Store, imported int) {
	c, ok := st.(store.IndexCompactor)
	if !ok || imported == 0 {
		return
	}
	total, err := st.CountArticles(ctx)
	if err != nil || imported*10 < total {
		return
	}
	start := time.Now()
	if err := c.CompactIndex(ctx); err != nil {
		a.log.Warn("import: search index not compacted", "err", err)
		return
	}
	a.log.Info("search index compacted", "took", time.Since(start).Round(time.Millisecond))
}
