package cli

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"khabar/internal/corpus"
	"khabar/internal/ingest"
	"khabar/internal/ingest/bulk"
	"khabar/internal/model"
)

// importBatch is how many articles one import transaction saves: each
// commit rewrites every page it touched (phrase frequencies all over their
// table, a full-text segment), so bigger batches write less per article.
const importBatch = 2000

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
	rel, err := a.relater(st)
	if err != nil {
		return err
	}
	endCollect := rel.collecting()
	baseCtx := ctx
	ctx, cancelRead := context.WithCancel(ctx)
	defer cancelRead()
	records := make(chan corpus.Item, 256)
	readErr := make(chan error, 1)
	go func() {
		defer close(records)
		for _, f := range files {
			if err := corpus.ReadFile(ctx, f, records); err != nil {
				readErr <- err
				return
			}
		}
		readErr <- nil
	}()

	type job struct {
		where string
		art   *model.Article
		pr    *bulk.Prepared
		err   error // the record's: it is skipped
		fatal error // the store's: the import stops
		ready chan struct{}
	}
	var (
		imported, existing, bad int
		start                   = time.Now()
		lastShow                time.Time
		showProgress            = isTerminal(a.stderr)
	)
	show := func(final bool) {
		if !showProgress || (!final && time.Since(lastShow) < 200*time.Millisecond) {
			return
		}
		lastShow = time.Now()
		rate := float64(imported) / max(time.Since(start).Seconds(), 0.001)
		fmt.Fprintf(a.stderr, "\r\033[Kimport: %d new, %d already stored, %d bad (%.0f/s)", imported, existing, bad, rate)
	}
	// Analysis, and the search for each article's stored copy and story
	// candidates, run on every core; placing and saving happen one at a
	// time, in the file's order, so that copies find the articles before
	// them. The ordered queue lets the analysis go on while a batch
	// commits; it is not deeper because each article waiting in it holds
	// its candidates' signatures (a few hundred KB).
	batch, err := bulk.New(ctx, p, importBatch)
	if err != nil {
		return err
	}
	jobs := make(chan *job, 64)
	ordered := make(chan *job, 128)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				j.pr, j.err = batch.Prepare(ctx, j.art)
				if j.err == nil {
					j.err = batch.Prefetch(ctx, j.pr)
				}
				close(j.ready)
			}
		}()
	}
	go func() {
		defer close(jobs)
		defer close(ordered)
		for r := range records {
			if ctx.Err() != nil {
				return
			}
			if r.Err != nil {
				j := &job{where: r.Where, err: r.Err, ready: make(chan struct{})}
				close(j.ready)
				ordered <- j
				continue
			}
			// Reading the record's dates and paragraphs is the article's
			// own computation too: behind the recover boundary.
			var art *model.Article
			err := p.Guard("extract", &model.Article{URL: r.Record.URL}, func() (err error) {
				art, err = r.Record.Article()
				return err
			})
			if err == nil {
				for _, d := range art.DropImplausibleDates(time.Now()) {
					a.log.Warn("import: date dropped, article kept", "where", r.Where, "url", art.URL, "reason", d)
				}
			}
			j := &job{where: r.Where, art: art, err: err, ready: make(chan struct{})}
			if err == nil && batch.MayBeStored(art.URL) {
				ok, herr := st.HasArticle(ctx, art.URL)
				if herr != nil {
					j.fatal = fmt.Errorf("is %s stored: %w", art.URL, herr)
				}
				if ok || herr != nil {
					j.art = nil
				}
			}
			if err != nil || j.art == nil || j.fatal != nil {
				close(j.ready)
			} else {
				jobs <- j
			}
			ordered <- j
		}
	}()
	var saveErr error
	for j := range ordered {
		<-j.ready
		switch {
		case saveErr != nil:
			// drain: the readers stop with the context below
		case j.fatal != nil:
			saveErr = j.fatal
			cancelRead()
		case j.err != nil:
			bad++
			fmt.Fprintf(a.stderr, "\r\033[Kkhabar import: %s: %v (skipped)\n", j.where, j.err)
		case j.art == nil:
			existing++
		default:
			var ae *ingest.AnalysisError
			if err := batch.Add(ctx, j.pr); errors.As(err, &ae) {
				// Placing this article failed before the batch took it.
				bad++
				fmt.Fprintf(a.stderr, "\r\033[Kkhabar import: %s: %v (skipped)\n", j.where, err)
			} else if err != nil {
				saveErr = err
				cancelRead()
			}
		}
		imported = batch.Created
		show(false)
	}
	if saveErr == nil {
		saveErr = batch.Flush(ctx)
	}
	imported = batch.Created
	existing += batch.Updated
	wg.Wait()
	a.waitAlerts(time.Minute)
	show(true)
	if showProgress {
		fmt.Fprintln(a.stderr)
	}
	if saveErr != nil {
		return fmt.Errorf("stopped after %d new articles: %w", imported, saveErr)
	}
	if err := <-readErr; err != nil {
		return err
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	a.refreshStories(ctx, st)
	ids := endCollect()
	if !*related {
		ids = nil
	}
	relStart := time.Now()
	err = relateAll(baseCtx, rel.svc, st, ids, func(done int) {
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
		imported, existing, bad, relStart.Sub(start).Round(time.Millisecond), time.Since(relStart).Round(time.Millisecond))
	return nil
}
