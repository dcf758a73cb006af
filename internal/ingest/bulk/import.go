package bulk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"khabar/internal/corpus"
	"khabar/internal/ingest"
	"khabar/internal/model"
)

// DefaultSize is how many articles one import transaction saves: each
// commit rewrites every page it touched (phrase frequencies all over their
// table, a full-text segment), so bigger batches write less per article.
const DefaultSize = 2000

// Counts are an import's articles so far.
type Counts struct {
	Created  int // new articles saved
	Existing int // already stored (skipped, or saved again as updates)
	Bad      int // records skipped: unreadable, or their analysis failed
}

// ImportOptions tunes Import. Every callback runs on the goroutine that
// called Import.
type ImportOptions struct {
	Size int          // articles per transaction; 0 means DefaultSize
	Log  *slog.Logger // nil: discard
	// Skipped, when set, is told of each bad record (where it was read, and
	// why it is skipped).
	Skipped func(where string, err error)
	// Progress, when set, is called after each record with the counts so
	// far.
	Progress func(Counts)
}

// Import reads records with read and saves their articles through a
// Batch of p's store, in the order read, so that a copy finds the article
// before it. Analysis, and the search for each article's stored copy and
// story candidates, run on every core; placing and saving happen one at
// a time. A bad record is counted and skipped; a store error stops the
// import (the articles saved before it stay; the error says how many).
// read must send its records
// to out and return when its context ends; Import cancels it when it
// stops early.
func Import(ctx context.Context, p *ingest.Pipeline, read func(context.Context, chan<- corpus.Item) error, opt ImportOptions) (Counts, error) {
	var n Counts
	if opt.Size <= 0 {
		opt.Size = DefaultSize
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	st := p.Store()
	ctx, cancelRead := context.WithCancel(ctx)
	defer cancelRead()
	batch, err := New(ctx, p, opt.Size)
	if err != nil {
		return n, err
	}
	records := make(chan corpus.Item, 256)
	readErr := make(chan error, 1)
	go func() {
		defer close(records)
		readErr <- read(ctx, records)
	}()

	type job struct {
		where string
		art   *model.Article
		pr    *Prepared
		err   error // the record's: it is skipped
		fatal error // the store's: the import stops
		ready chan struct{}
	}
	// The ordered queue lets the analysis go on while an article is
	// placed; it is not deeper because each article waiting in it holds
	// its candidates' signatures (a few hundred KB), and the analysis,
	// faster than the saving, keeps it full: 32 places hold the import's
	// peak 20 MB lower than 128 did, at the same speed.
	jobs := make(chan *job, 64)
	ordered := make(chan *job, 32)
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
					opt.Log.Warn("import: date dropped, article kept", "where", r.Where, "url", art.URL, "reason", d)
				}
			}
			j := &job{where: r.Where, art: art, err: err, ready: make(chan struct{})}
			if err == nil && batch.MayBeStored(art.URL) {
				ok, herr := st.HasArticle(ctx, art.URL)
				if herr != nil {
					j.fatal = fmt.Errorf("bulk: is %s stored: %w", art.URL, herr)
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
	skip := func(where string, err error) {
		n.Bad++
		if opt.Skipped != nil {
			opt.Skipped(where, err)
		}
	}
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
			skip(j.where, j.err)
		case j.art == nil:
			n.Existing++
		default:
			var ae *ingest.AnalysisError
			if err := batch.Add(ctx, j.pr); errors.As(err, &ae) {
				// Placing this article failed before the batch took it.
				skip(j.where, err)
			} else if err != nil {
				saveErr = err
				cancelRead()
			}
		}
		n.Created = batch.Created
		if opt.Progress != nil {
			opt.Progress(n)
		}
	}
	if saveErr == nil {
		saveErr = batch.Flush(ctx)
	}
	n.Created = batch.Created
	n.Existing += batch.Updated
	wg.Wait()
	if saveErr != nil {
		cancelRead()
		<-readErr
		return n, fmt.Errorf("stopped after %d new articles: %w", n.Created, saveErr)
	}
	if err := <-readErr; err != nil {
		return n, err
	}
	return n, ctx.Err()
}
