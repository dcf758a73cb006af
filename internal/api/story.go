package api

import (
	"time"

	"khabar/internal/coverage"
	"khabar/internal/model"
)

// StoryDetailJSON is a story with what its page tells: coverage, first
// report, origin of copies, summary, what each outlet adds, quotes and a
// timeline. They are computed when the story changes (package storyinfo).
type StoryDetailJSON struct {
	*StoryJSON
	Coverage    CoverageJSON            `json:"coverage"`
	FirstReport *FirstReportJSON        `json:"first_report"`
	Origin      []model.OriginGroup     `json:"origin"`
	Summary     []model.SummarySentence `json:"summary,omitempty"`
	Adds        []model.OutletAdds      `json:"adds"`
	Quotes      []model.Quote           `json:"quotes"`
	Timeline    []model.TimelineEvent   `json:"timeline"`
	OneSided    bool                    `json:"one_sided"`
	Lean        string                  `json:"lean,omitempty"`
}

// CoverageJSON says which outlets cover a story and from which countries.
type CoverageJSON struct {
	Outlets   []OutletCoverageJSON `json:"outlets"`
	Countries map[string]int       `json:"countries"`
}

// OutletCoverageJSON is one outlet's part in a story.
type OutletCoverageJSON struct {
	Outlet         string     `json:"outlet"`
	Source         string     `json:"source"`
	SourceID       *int64     `json:"source_id"`
	Country        string     `json:"country"`
	Kind           string     `json:"kind"`
	Articles       int        `json:"articles"`
	FirstPublished *time.Time `json:"first_published"`
}

// FirstReportJSON is a story's earliest article.
type FirstReportJSON struct {
	ArticleID int64      `json:"article_id"`
	Source    string     `json:"source"`
	Published *time.Time `json:"published"`
}

// QuoteJSON is a direct quotation of an article and who said it.
type QuoteJSON struct {
	Speaker string `json:"speaker"`
	Text    string `json:"text"`
}

// StoryDetail builds a story's full JSON from the story and its details
// (zero details when d is nil).
func StoryDetail(st model.Story) StoryDetailJSON {
	d := st.Details
	if d == nil {
		d = &model.StoryDetails{}
	}
	out := StoryDetailJSON{
		StoryJSON: storyJSON(st),
		Coverage:  CoverageJSON{Outlets: []OutletCoverageJSON{}, Countries: map[string]int{}},
		Origin:    nonNilSlice(d.Origin), Summary: d.Summary, Adds: nonNilSlice(d.Adds),
		Quotes: nonNilSlice(d.Quotes), Timeline: nonNilSlice(d.Timeline), OneSided: d.OneSided, Lean: d.Lean,
	}
	for _, o := range d.Coverage.Outlets {
		out.Coverage.Outlets = append(out.Coverage.Outlets, OutletCoverageJSON{Outlet: o.Outlet, Source: o.Source,
			SourceID: idPtr(o.SourceID), Country: o.Country, Kind: o.Kind, Articles: o.Articles,
			FirstPublished: timePtr(o.FirstPublished)})
	}
	for _, c := range d.Coverage.Countries {
		out.Coverage.Countries[c.Country] = c.Outlets
	}
	if f := d.FirstReport; f != nil {
		out.FirstReport = &FirstReportJSON{ArticleID: f.ArticleID, Source: f.Source, Published: timePtr(f.Published)}
	}
	for i := range out.Origin {
		out.Origin[i].Copies = nonNilSlice(out.Origin[i].Copies)
	}
	return out
}

// articleQuotes are the direct quotations of an article.
func articleQuotes(a model.Article) []QuoteJSON {
	out := []QuoteJSON{}
	for _, q := range coverage.Quotes(a.Text, a.Entities) {
		out = append(out, QuoteJSON{Speaker: q.Speaker, Text: q.Text})
	}
	return out
}

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
