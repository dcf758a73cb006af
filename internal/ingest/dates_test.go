package ingest

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"khabar/internal/analysis"
	"khabar/internal/entities"
	"khabar/internal/model"
)

var (
	testRec = entities.New(entities.Options{})
	testAn  = analysis.New(analysis.Options{Names: testRec.Names()})
	testNow = time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC)
)

func testPipeline(log *slog.Logger) *Pipeline {
	return NewPipeline(nil, testAn, testRec, PipelineConfig{Log: log, Now: func() time.Time { return testNow }})
}

// Every way in passes the pipeline: a date it could not store and show
// again is dropped there with a warning, and the article kept.
func TestPrepareDropsFarDates(t *testing.T) {
	var logBuf bytes.Buffer
	p := testPipeline(slog.New(slog.NewTextHandler(&logBuf, nil)))
	a := &model.Article{URL: "https://example.com/far", Title: "خبر من المستقبل", Text: "قال الوزير في الرياض إن المشروع يبدأ قريبا.",
		Published: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), Modified: time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)}
	pr, err := p.PrepareWith(context.Background(), a, nil)
	if err != nil || pr.Article != a {
		t.Fatalf("PrepareWith: %v", err)
	}
	if !a.Published.IsZero() || a.Modified.IsZero() {
		t.Errorf("published %v, modified %v: want the far date dropped, the other kept", a.Published, a.Modified)
	}
	if log := logBuf.String(); !strings.Contains(log, "level=WARN") || !strings.Contains(log, "date dropped") || !strings.Contains(log, a.URL) {
		t.Errorf("no warning naming the article: %q", log)
	}
}
