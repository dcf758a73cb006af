package ingest

import (
	"context"
	"errors"
	"testing"

	"khabar/internal/analysis"
	"khabar/internal/entities"
	"khabar/internal/model"
	"khabar/internal/store"
	"khabar/internal/store/sqlite/sqlitetest"
)

// brokenLookup is a store whose look-up by URL fails.
type brokenLookup struct{ store.Store }

func (brokenLookup) GetArticleByURL(context.Context, string) (model.Article, error) {
	return model.Article{}, errors.New("disk gone")
}

// brokenStats is a store whose phrase frequencies cannot be read.
type brokenStats struct{ store.Store }

func (brokenStats) DocFreq(context.Context, []string) (map[string]int, int, error) {
	return nil, 0, errors.New("index gone")
}

// TestCommitStopsOnStoreErrors checks that a store that cannot say whether
// an article is stored, or how common its phrases are, stops the article
// with that error instead of saving it as new or ranking its keyphrases as
// if the corpus were empty.
func TestCommitStopsOnStoreErrors(t *testing.T) {
	ctx := context.Background()
	st := sqlitetest.Open(t)
	rec := entities.New(entities.Options{})
	an := analysis.New(analysis.Options{Names: rec.Names()})
	art := func() *model.Article {
		return &model.Article{URL: "https://news.example/1", Title: "وزير الخارجية يزور القاهرة",
			Text: "قال وزير الخارجية إن المفاوضات مستمرة في القاهرة."}
	}

	p := NewPipeline(brokenLookup{st}, an, rec, PipelineConfig{})
	if created, err := p.Ingest(ctx, art()); err == nil || created {
		t.Errorf("Ingest with a failing look-up = %v, %v; want its error", created, err)
	}
	if n, err := st.CountArticles(ctx); err != nil || n != 0 {
		t.Errorf("%d articles stored (%v) after a failed look-up, want 0", n, err)
	}

	p = NewPipeline(brokenStats{st}, an, rec, PipelineConfig{})
	if _, err := p.Prepare(ctx, art()); err == nil {
		t.Error("Prepare with failing phrase frequencies: no error")
	}

	p = NewPipeline(st, an, rec, PipelineConfig{})
	if created, err := p.Ingest(ctx, art()); err != nil || !created {
		t.Errorf("Ingest = %v, %v; want a new article", created, err)
	}
}
