package ingest

import (
	"archive/zip"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"khabar/internal/analysis"
	"khabar/internal/entities"
	"khabar/internal/model"
	"khabar/internal/store"
	"khabar/internal/store/sqlite"
)

// corpusZip finds a SaudiNewsNet day in the shared corpora (a sibling of
// the repository), or skips.
func corpusZip(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		p := filepath.Join(dir, "shared", "corpora", "saudinewsnet", "zips", "2015-07-21.zip")
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("SaudiNewsNet corpus not found (shared/corpora/saudinewsnet beside the repository)")
		}
		dir = parent
	}
}

func loadCorpus(t *testing.T, path string, n int) []model.Article {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var out []model.Article
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, ".json") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		var recs []struct{ URL, Title, Content, Source, Date_extracted string }
		if err := json.Unmarshal(data, &recs); err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			pub, _ := time.Parse("2006-01-02 15:04:05", r.Date_extracted)
			out = append(out, model.Article{URL: r.URL, Title: r.Title, Text: r.Content, SourceName: r.Source, Published: pub})
			if len(out) == n {
				return out
			}
		}
	}
	return out
}

// TestBatchPlacesAsCommit checks that a Batch, which places articles
// against pending ones without storing them first, decides every copy and
// story exactly as committing the articles one by one does.
func TestBatchPlacesAsCommit(t *testing.T) {
	if testing.Short() {
		t.Skip("analyses 600 corpus articles twice")
	}
	arts := loadCorpus(t, corpusZip(t), 600)
	// In publication order, as a crawl sees them: the versions of one
	// story come close together, often in the same or the next batch.
	slices.SortStableFunc(arts, func(a, b model.Article) int { return a.Published.Compare(b.Published) })
	ctx := context.Background()
	now := time.Date(2015, 8, 1, 0, 0, 0, 0, time.UTC)
	// lag > 0 prefetches each article's stored candidates that many
	// articles before adding it, as the import does from its workers.
	// slow delays each batch's save, so that articles are placed while the
	// batch before them is being saved (against its stand-ins).
	run := func(batch, lag int, slow bool) map[string][2]int64 {
		st, err := sqlite.Open(ctx, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		// Two stored articles of one story, so that story ids no longer
		// follow article ids (a story id given where an article id is
		// due, or the reverse, then shows).
		first := &model.Article{URL: "https://seed.example/1", Title: "بذرة", Published: now.AddDate(-1, 0, 0)}
		if _, err := st.SaveArticle(ctx, first, store.IndexData{}); err != nil {
			t.Fatal(err)
		}
		second := &model.Article{URL: "https://seed.example/2", Title: "بذرة", Published: now.AddDate(-1, 0, 0), StoryID: first.StoryID}
		if _, err := st.SaveArticle(ctx, second, store.IndexData{}); err != nil {
			t.Fatal(err)
		}
		rec := entities.New(entities.Options{})
		an := analysis.New(analysis.Options{Names: rec.Names()})
		var saveTo store.Store = st
		if slow {
			saveTo = slowSaves{st}
		}
		p := NewPipeline(saveTo, an, rec, PipelineConfig{Now: func() time.Time { return now }})
		// Prepared before any save, so that both runs see the same
		// (empty) phrase statistics and analyse alike.
		prs := make([]*Prepared, len(arts))
		for i := range arts {
			a := arts[i]
			if prs[i], err = p.Prepare(ctx, &a); err != nil {
				t.Fatal(err)
			}
		}
		var b *Batch
		if batch > 0 {
			b = p.NewBatch(batch)
		}
		for i, pr := range prs {
			if lag > 0 {
				// Prefetch lag articles ahead (the first ones at once).
				from := i + lag
				if i == 0 {
					from = 0
				}
				for k := from; k <= min(i+lag, len(prs)-1); k++ {
					if !prs[k].hasFetched {
						if err := b.Prefetch(ctx, prs[k]); err != nil {
							t.Fatal(err)
						}
					}
				}
			}
			if b != nil {
				err = b.Add(ctx, pr)
			} else {
				_, err = p.Commit(ctx, pr)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		if b != nil {
			if err := b.Flush(ctx); err != nil {
				t.Fatal(err)
			}
		}
		out := map[string][2]int64{}
		for _, pr := range prs {
			out[pr.Article.URL] = [2]int64{pr.Article.DuplicateOf, pr.Article.StoryID}
		}
		return out
	}
	want := run(0, 0, false)
	for _, c := range []struct {
		batch, lag int
		slow       bool
	}{{250, 0, false}, {100, 150, false}, {50, 400, false}, {7, 12, true}} {
		got := run(c.batch, c.lag, c.slow)
		for u, w := range want {
			if got[u] != w {
				t.Errorf("batches of %d, prefetched %d ahead, slow saves %v: %s: batch placed it at (copy of %d, story %d), one by one at (%d, %d)",
					c.batch, c.lag, c.slow, u, got[u][0], got[u][1], w[0], w[1])
			}
		}
	}
	copies, joined := 0, 0
	for _, w := range want {
		if w[0] != 0 {
			copies++
		}
	}
	stories := map[int64]int{}
	for _, w := range want {
		stories[w[1]]++
	}
	for _, n := range stories {
		if n > 1 {
			joined += n
		}
	}
	// The sample must exercise the interesting cases.
	if copies == 0 || joined == 0 {
		t.Errorf("sample has %d copies and %d articles in shared stories; want some of each", copies, joined)
	}
	t.Logf("%d articles, %d copies, %d in shared stories", len(want), copies, joined)
}

// slowSaves is a store whose batch saves take a while, as a big batch's do.
type slowSaves struct{ store.Store }

func (s slowSaves) SaveArticles(ctx context.Context, as []*model.Article, idx []store.IndexData) ([]bool, error) {
	time.Sleep(30 * time.Millisecond)
	return s.Store.SaveArticles(ctx, as, idx)
}
