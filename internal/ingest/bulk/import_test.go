package bulk

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"khabar/internal/analysis"
	"khabar/internal/corpus"
	"khabar/internal/entities"
	"khabar/internal/ingest"
	"khabar/internal/model"
	"khabar/internal/store"
	"khabar/internal/store/sqlite"
)

// testPipeline opens a SQLite store in a temporary folder and returns it
// with a pipeline saving to it, or to wrap(store) when wrap is set.
func testPipeline(t *testing.T, wrap func(store.Store) store.Store) (store.Store, *ingest.Pipeline) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var save store.Store = st
	if wrap != nil {
		save = wrap(st)
	}
	rec := entities.New(entities.Options{})
	return st, ingest.NewPipeline(save, analysis.New(analysis.Options{Names: rec.Names()}), rec, ingest.PipelineConfig{})
}

func importRecords(n int) []corpus.Item {
	var items []corpus.Item
	for i := range n {
		items = append(items, corpus.Item{Where: fmt.Sprintf("f.jsonl:%d", i+1), Record: corpus.Record{
			URL:   fmt.Sprintf("https://example.com/news/%d", i),
			Title: fmt.Sprintf("خبر رقم %d عن الاقتصاد", i),
			Text:  fmt.Sprintf("قال وزير المالية في المؤتمر الصحفي رقم %d إن النمو الاقتصادي سيستمر خلال العام المقبل.", i),
			Date:  []byte(`"2024-03-01T10:00:00Z"`),
		}})
	}
	return items
}

func sendAll(items []corpus.Item) func(context.Context, chan<- corpus.Item) error {
	return func(ctx context.Context, out chan<- corpus.Item) error {
		for _, it := range items {
			select {
			case out <- it:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	}
}

// TestImportCounts checks that Import saves every good record once, in
// batches, counts a bad record and skips it, and counts records already
// stored when run again.
func TestImportCounts(t *testing.T) {
	ctx := context.Background()
	st, p := testPipeline(t, nil)
	items := importRecords(25)
	bad := corpus.Item{Where: "f.jsonl:99", Err: errors.New("invalid JSON")}
	items = append(items[:10:10], append([]corpus.Item{bad}, items[10:]...)...)
	var skipped []string
	progress := 0
	n, err := Import(ctx, p, sendAll(items), ImportOptions{
		Size:     7,
		Skipped:  func(where string, err error) { skipped = append(skipped, where+": "+err.Error()) },
		Progress: func(Counts) { progress++ },
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != (Counts{Created: 25, Bad: 1}) {
		t.Errorf("first import counted %+v, want 25 created and 1 bad", n)
	}
	if len(skipped) != 1 || skipped[0] != "f.jsonl:99: invalid JSON" {
		t.Errorf("skipped %q", skipped)
	}
	if progress != len(items) {
		t.Errorf("progress told %d times for %d records", progress, len(items))
	}
	arts, total, err := st.ListArticles(ctx, store.ArticleFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if total != 25 || len(arts) != 25 {
		t.Errorf("%d articles stored (total %d), want 25", len(arts), total)
	}
	n, err = Import(ctx, p, sendAll(importRecords(25)), ImportOptions{Size: 7})
	if err != nil {
		t.Fatal(err)
	}
	if n != (Counts{Existing: 25}) {
		t.Errorf("second import counted %+v, want 25 already stored", n)
	}
}

// failingSaves is a store whose saves fail.
type failingSaves struct{ store.Store }

func (failingSaves) SaveArticles(context.Context, []*model.Article, []store.IndexData) ([]bool, error) {
	return nil, errors.New("disk full")
}

// TestImportStopsOnStoreError checks that a store error stops the import
// with an error that says so and how many articles were saved, and that
// the reader is stopped.
func TestImportStopsOnStoreError(t *testing.T) {
	ctx := context.Background()
	_, p := testPipeline(t, func(st store.Store) store.Store { return failingSaves{st} })
	readerDone := false
	read := sendAll(importRecords(40))
	_, err := Import(ctx, p, func(ctx context.Context, out chan<- corpus.Item) error {
		defer func() { readerDone = true }()
		return read(ctx, out)
	}, ImportOptions{Size: 5})
	if err == nil || !strings.Contains(err.Error(), "disk full") || !strings.Contains(err.Error(), "stopped after 0 new articles") {
		t.Fatalf("Import with failing saves: %v", err)
	}
	if !readerDone {
		t.Error("Import returned before its reader stopped")
	}
}

// TestImportStopsOnLookupError: into a store that holds articles, the
// import asks whether each record is stored already; when the store cannot
// say, the import stops with an error naming the URL and the cause, and
// stores nothing after it.
func TestImportStopsOnLookupError(t *testing.T) {
	ctx := context.Background()
	var lookups bool
	st, p := testPipeline(t, func(st store.Store) store.Store {
		return lookupSwitch{Store: st, fail: &lookups}
	})
	if _, err := Import(ctx, p, sendAll(importRecords(5)), ImportOptions{Size: 5}); err != nil {
		t.Fatal(err)
	}
	lookups = true
	more := importRecords(20)[5:]
	n, err := Import(ctx, p, sendAll(more), ImportOptions{Size: 5})
	if err == nil || !strings.Contains(err.Error(), "connection reset") || !strings.Contains(err.Error(), more[0].Record.URL) {
		t.Fatalf("Import when the store cannot look up URLs: %+v, %v; want an error naming %s and the cause", n, err, more[0].Record.URL)
	}
	if _, total, err := st.ListArticles(ctx, store.ArticleFilter{Limit: 1}); err != nil || total != 5 {
		t.Errorf("%d articles stored after the failed import, want the first import's 5 (%v)", total, err)
	}
}

// lookupSwitch is a store that cannot say whether it holds a URL while
// *fail is true.
type lookupSwitch struct {
	store.Store
	fail *bool
}

func (l lookupSwitch) HasArticle(ctx context.Context, u string) (bool, error) {
	if *l.fail {
		return false, errors.New("connection reset")
	}
	return l.Store.HasArticle(ctx, u)
}
