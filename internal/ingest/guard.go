package ingest

import (
	"fmt"
	"runtime/debug"

	"khabar/internal/model"
)

// AnalysisError is the failure of one article's analysis: a stage that
// panicked (a bug that this article's text reaches). It is that article's
// error only: the import reports it with the record's place and goes on,
// the crawl records it on the item's source and goes on.
type AnalysisError struct {
	Stage string // extract, analyse, place, announce or related
	URL   string
	Value any    // what the stage panicked with
	Stack []byte // where, for the log
}

func (e *AnalysisError) Error() string {
	return fmt.Sprintf("analysis failed: %s %s: %v", e.Stage, e.URL, e.Value)
}

// Unwrap gives the value panicked with when it is an error.
func (e *AnalysisError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// guard runs one stage of a's analysis behind a recover boundary: a panic
// becomes an AnalysisError, logged with its stack at error level and
// counted (PipelineConfig.OnFailure). Before the stage it calls
// PipelineConfig.Fault, the tests' way to make a stage fail.
func (p *Pipeline) guard(stage string, a *model.Article, fn func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			ae := &AnalysisError{Stage: stage, URL: a.URL, Value: v, Stack: debug.Stack()}
			p.cfg.Log.Error("article analysis failed", "stage", stage, "url", a.URL, "err", fmt.Sprint(v), "stack", string(ae.Stack))
			if p.cfg.OnFailure != nil {
				p.cfg.OnFailure(a, ae)
			}
			err = ae
		}
	}()
	if p.cfg.Fault != nil {
		p.cfg.Fault(stage, a)
	}
	return fn()
}

// Guard runs fn as a stage of a's analysis, behind the recover boundary
// of the pipeline's own stages: the crawler's extraction of a page, say.
func (p *Pipeline) Guard(stage string, a *model.Article, fn func() error) error {
	return p.guard(stage, a, fn)
}
