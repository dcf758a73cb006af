// Package ingest is khabar's pipeline for one article and the crawler that
// feeds it: analysis (language, tokens, entities, keyphrases), duplicate
// and story assignment, and saving with the index data the store needs.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"khabar/internal/analysis"
	"khabar/internal/arabic"
	"khabar/internal/cluster"
	"khabar/internal/entities"
	"khabar/internal/keywords"
	"khabar/internal/model"
	"khabar/internal/store"
)

// PipelineConfig tunes a Pipeline.
type PipelineConfig struct {
	Log      *slog.Logger
	Now      func() time.Time
	Keywords int             // keyphrases per article; 0 means 8
	Cluster  cluster.Options // zero means cluster.DefaultOptions()
	// OnNew, when set, is called after a new article is saved (alerts).
	OnNew func(ctx context.Context, a *model.Article)
	// OnSaved, when set, is called after any article is saved, new or
	// updated (related reading is computed from it), after OnNew.
	OnSaved func(ctx context.Context, a *model.Article)
	// OnFailure, when set, is called with each article whose analysis
	// failed (an AnalysisError), after it is logged: for the metrics.
	OnFailure func(a *model.Article, err error)
	// Fault, when set, is called at the start of each stage of an
	// article's analysis, inside its recover boundary: tests make it
	// panic to check that one article's failure stays its own.
	Fault func(stage string, a *model.Article)
}

// Pipeline analyses articles and saves them. Prepare is safe to call from
// several goroutines; Commit serializes itself, because a copy's story can
// only be decided once the article before it is stored.
type Pipeline struct {
	st  store.Store // nil: analysis only (khabar extract without a store)
	an  *analysis.Analyzer
	rec *entities.Recognizer
	cfg PipelineConfig

	commitMu sync.Mutex
}

// NewPipeline returns a Pipeline. st may be nil for analysis alone.
func NewPipeline(st store.Store, an *analysis.Analyzer, rec *entities.Recognizer, cfg PipelineConfig) *Pipeline {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Keywords <= 0 {
		cfg.Keywords = 8
	}
	if cfg.Cluster.Window == 0 {
		cfg.Cluster = cluster.DefaultOptions()
	}
	return &Pipeline{st: st, an: an, rec: rec, cfg: cfg}
}

// Prepared is an analysed article ready to commit.
type Prepared struct {
	Article  *model.Article
	Index    store.IndexData
	features cluster.Features
	names    []model.Entity // names seen in naming contexts, for learning
	bandKeys []uint64       // Index.Bands, sorted and distinct
}

// BandKeys returns pr's band keys, sorted and distinct.
func (pr *Prepared) BandKeys() []uint64 { return pr.bandKeys }

// Analyse fills a's language, keywords and entities (what `khabar extract`
// shows) without saving it.
func (p *Pipeline) Analyse(ctx context.Context, a *model.Article) error {
	_, err := p.Prepare(ctx, a)
	return err
}

// Prepare analyses a: language, entities, keyphrases, search forms and the
// features that place it among copies and stories.
func (p *Pipeline) Prepare(ctx context.Context, a *model.Article) (*Prepared, error) {
	var stats keywords.Stats
	if p.st != nil {
		stats = p.st
	}
	return p.PrepareWith(ctx, a, stats)
}

// PrepareWith is Prepare with the document frequencies of stats (nil:
// none) instead of the store's. A panic in the analysis is the article's
// AnalysisError.
func (p *Pipeline) PrepareWith(ctx context.Context, a *model.Article, stats keywords.Stats) (pr *Prepared, err error) {
	err = p.guard("analyse", a, func() error {
		pr, err = p.prepare(ctx, a, stats)
		return err
	})
	return pr, err
}

// prepare is PrepareWith without the recover boundary.
func (p *Pipeline) prepare(ctx context.Context, a *model.Article, stats keywords.Stats) (*Prepared, error) {
	// Every way in (a feed item, a page, an import record, a store being
	// migrated) passes here: a date khabar could not store and show again
	// is dropped, the article kept.
	for _, d := range a.DropImplausibleDates(p.cfg.Now()) {
		p.cfg.Log.Warn("ingest: date dropped", "url", a.URL, "reason", d)
	}
	a.Title = strings.TrimSpace(a.Title)
	a.Text = strings.TrimSpace(a.Text)
	// One analysis of title and text together; the title's tokens are
	// those that start before the text does.
	full := a.Title + "\n\n" + a.Text
	if a.Language == "" {
		a.Language = arabic.DetectLanguage(full)
	}
	// The tokens are read below and kept nowhere: their array is reused.
	tokBuf := tokenPool.Get().(*[]analysis.Token)
	defer func() {
		clear(*tokBuf) // drop the strings they hold
		*tokBuf = (*tokBuf)[:0]
		tokenPool.Put(tokBuf)
	}()
	allToks := p.an.AnalyzeAppend((*tokBuf)[:0], full)
	*tokBuf = allToks
	split := 0
	for split < len(allToks) && allToks[split].Start < len(a.Title) {
		split++
	}
	titleToks, bodyToks := allToks[:split], allToks[split:]

	var names []model.Entity
	a.Entities, names = p.rec.RecognizeAll(full, allToks)
	// The candidate phrases, whose document frequencies the store counts,
	// come from the same pass that ranks them.
	var (
		phrases []string
		err     error
	)
	a.Keywords, phrases, err = keywords.ExtractWithCandidates(ctx, full, allToks, a.Entities, stats, p.cfg.Keywords)
	if err != nil {
		return nil, fmt.Errorf("ingest: keyphrases of %s: %w", a.URL, err)
	}

	idx := store.IndexData{PhraseHashes: store.PhraseHashes(phrases)}
	idx.TitleTerms, idx.TitleStems = analysis.Forms(titleToks)
	idx.BodyTerms, idx.BodyStems = analysis.Forms(bodyToks)

	normBody := arabic.Normalize(a.Text)
	titleWords, bodyWords := make([]string, 0, len(titleToks)), make([]string, 0, len(bodyToks))
	var extra []string
	for _, t := range titleToks {
		titleWords = append(titleWords, t.Norm)
	}
	for _, t := range bodyToks {
		bodyWords = append(bodyWords, t.Norm)
	}
	idx.Tags = make([]string, len(a.Keywords))
	for i, k := range a.Keywords {
		idx.Tags[i] = store.NormalizeTag(k)
	}
	extra = append(extra, idx.Tags...)
	for _, e := range a.Entities {
		extra = append(extra, arabic.Normalize(e.Name))
	}
	terms := cluster.TopicTerms(titleWords, bodyWords, extra, arabic.IsStopWord)
	pub := a.Published
	if pub.IsZero() {
		pub = p.cfg.Now()
	}
	f := cluster.NewFeatures(normBody, terms, a.SourceID, pub)
	f.Countries = cluster.TitleCountries(a.Title)
	a.ContentHash = f.Text.Hash
	idx.Bands = f.Bands()
	return &Prepared{
		Article:  a,
		Index:    idx,
		features: f,
		names:    names,
		bandKeys: distinctBands(idx.Bands),
	}, nil
}

// tokenPool holds prepare's arrays of tokens.
var tokenPool = sync.Pool{New: func() any { return new([]analysis.Token) }}

// Commit places the prepared article among copies and stories and saves
// it. An article already stored keeps its story unless its text changed.
func (p *Pipeline) Commit(ctx context.Context, pr *Prepared) (bool, error) {
	a := pr.Article
	if p.st == nil {
		return false, fmt.Errorf("ingest: no store to commit to")
	}
	if a.URL == "" {
		return false, fmt.Errorf("ingest: article has no URL")
	}
	p.commitMu.Lock()
	defer p.commitMu.Unlock()
	// The lock on the band keys makes workers sharing a store decide one
	// after the other when they place copies of one story.
	var created bool
	err := p.st.WithBandLock(ctx, pr.Index.Bands, func(ctx context.Context) error {
		var existing *model.Article
		switch old, err := p.st.GetArticleByURL(ctx, a.URL); {
		case err == nil:
			existing = &old
		case !errors.Is(err, store.ErrNotFound):
			return fmt.Errorf("ingest: stored article %s: %w", a.URL, err)
		}
		if err := p.Place(ctx, pr, existing, p.st); err != nil {
			return err
		}
		var err error
		created, err = p.st.SaveArticle(ctx, a, pr.Index)
		if err != nil {
			return fmt.Errorf("ingest: save %s: %w", a.URL, err)
		}
		return nil
	})
	if err != nil {
		return false, err
	}
	p.saved(ctx, []*Prepared{pr}, []bool{created})
	return created, nil
}

// CandidateSource answers which articles share bands with an article and
// were published in its window, most shared bands first, then newest,
// then highest id: the store (a crawl, Commit) or the in-memory window of
// a bulk import (package bulk). store.Store is one.
type CandidateSource interface {
	Candidates(ctx context.Context, bands []uint64, since time.Time, limit int) ([]store.Candidate, error)
}

// Window returns the start of pr's window: the oldest an article may be
// to be its copy or share its story (zero: no limit).
func (p *Pipeline) Window(pr *Prepared) time.Time {
	return p.cfg.Cluster.Since(pr.features.Published)
}

// CandidatesFrom asks src for pr's candidates.
func (p *Pipeline) CandidatesFrom(ctx context.Context, src CandidateSource, pr *Prepared) ([]store.Candidate, error) {
	cands, err := src.Candidates(ctx, pr.Index.Bands, p.Window(pr), cluster.CandidateLimit)
	if err != nil {
		return nil, fmt.Errorf("ingest: candidates for %s: %w", pr.Article.URL, err)
	}
	return cands, nil
}

// Place decides pr's copy root and story from the candidates src gives.
// existing is the stored article with the same URL, if any: one with the
// same text keeps its place, and it is never its own candidate. The
// decision may name ids src made up (a bulk import's stand-ins for
// articles not stored yet); they are src's to resolve.
func (p *Pipeline) Place(ctx context.Context, pr *Prepared, existing *model.Article, src CandidateSource) error {
	a := pr.Article
	if a.Fetched.IsZero() {
		a.Fetched = p.cfg.Now()
	}
	if existing != nil && existing.ContentHash == a.ContentHash {
		// Same text: keep its place.
		a.DuplicateOf, a.StoryID, a.Signature = existing.DuplicateOf, existing.StoryID, existing.Signature
		return nil
	}
	cands, err := p.CandidatesFrom(ctx, src, pr)
	if err != nil {
		return err
	}
	// Deciding is the article's own computation: a panic there is its
	// AnalysisError, and nothing is changed.
	return p.guard("place", a, func() error {
		p.decide(pr, existing, cands)
		return nil
	})
}

// decide places pr among cands.
func (p *Pipeline) decide(pr *Prepared, existing *model.Article, cands []store.Candidate) {
	a := pr.Article
	cc := make([]cluster.Candidate, 0, len(cands))
	for _, c := range cands {
		if existing != nil && c.ID == existing.ID {
			continue
		}
		cc = append(cc, cluster.Candidate{
			ID: c.ID, SourceID: c.SourceID, StoryID: c.StoryID, DuplicateOf: c.DuplicateOf,
			Published: c.Published, ContentHash: c.ContentHash, Signature: c.Signature, Shared: c.Shared,
		})
	}
	d := cluster.Decide(pr.features, cc, p.cfg.Cluster)
	sig := cluster.Pack(pr.features, d.StoryStart)
	a.DuplicateOf, a.StoryID, a.Signature = d.DuplicateOf, d.StoryID, sig
	a.JoinCopies = d.Joins
}

func distinctBands(bands []uint64) []uint64 {
	out := slices.Clone(bands)
	slices.Sort(out)
	return slices.Compact(out)
}

// Store returns the store p saves to (nil: analysis only).
func (p *Pipeline) Store() store.Store { return p.st }

// saved records what follows a save: the names seen, for learning, and
// the alerts of new articles.
func (p *Pipeline) saved(ctx context.Context, prs []*Prepared, created []bool) {
	p.ObserveNames(ctx, prs)
	p.Announce(ctx, prs, created)
}

// ObserveNames counts the names prs saw in naming contexts, for learning;
// a failure is logged, not returned: the articles are saved.
func (p *Pipeline) ObserveNames(ctx context.Context, prs []*Prepared) {
	var names []model.Entity
	for _, pr := range prs {
		names = append(names, pr.names...)
	}
	if len(names) > 0 {
		if err := p.st.ObserveNames(ctx, names); err != nil {
			p.cfg.Log.Warn("observe names", "err", err)
		}
	}
}

// Announce calls OnNew with each article of prs created by its save, and
// OnSaved with each.
func (p *Pipeline) Announce(ctx context.Context, prs []*Prepared, created []bool) {
	for i, pr := range prs {
		// The article is saved: a failure here is logged and counted,
		// and the others are still announced.
		if created[i] && p.cfg.OnNew != nil {
			_ = p.guard("announce", pr.Article, func() error {
				p.cfg.OnNew(ctx, pr.Article)
				return nil
			})
		}
		if p.cfg.OnSaved != nil {
			_ = p.guard("related", pr.Article, func() error {
				p.cfg.OnSaved(ctx, pr.Article)
				return nil
			})
		}
	}
}

// Ingest prepares and commits one article.
func (p *Pipeline) Ingest(ctx context.Context, a *model.Article) (bool, error) {
	pr, err := p.Prepare(ctx, a)
	if err != nil {
		return false, err
	}
	return p.Commit(ctx, pr)
}
