package api

import (
	"bufio"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"khabar/internal/search"
	"khabar/internal/store"
)

// AttentionJSON is how much one query is covered: GET /api/v1/attention.
// The numbers agree: the series and by_source sum to total, which is the
// search total for the same query and filters (full matches only). The
// top names and tags are counted among the most recent matches
// (store.TopSample).
type AttentionJSON struct {
	Query       string            `json:"query"`
	Total       int               `json:"total"`
	Series      []PointJSON       `json:"series"`
	BySource    []SourceCountJSON `json:"by_source"`
	ByCountry   []CountryJSON     `json:"by_country"`
	TopEntities []TermJSON        `json:"top_entities"`
	TopTags     []TagCountJSON    `json:"top_tags"`
}

// PointJSON is one interval of a series: its first day (in tz), the
// matches published in it, and their share of every article of the
// interval under the same filters.
type PointJSON struct {
	Date  string  `json:"date"`
	Count int     `json:"count"`
	Share float64 `json:"share"`
}

// SourceCountJSON is an outlet and its matches; source_id is null when
// its articles have no source (imported) or several.
type SourceCountJSON struct {
	Source   string `json:"source"`
	SourceID *int64 `json:"source_id"`
	Count    int    `json:"count"`
}

// CountryJSON is a country (ISO 3166-1 alpha-2) and its outlets' matches.
type CountryJSON struct {
	Country string `json:"country"`
	Count   int    `json:"count"`
}

// TagCountJSON is a keyword and the matches that carry it.
type TagCountJSON struct {
	Tag   string `json:"tag"`
	Count int    `json:"count"`
}

// AttentionBlock converts one query's attention.
func AttentionBlock(a search.Attention) AttentionJSON {
	out := AttentionJSON{Query: a.Query, Total: a.Total, Series: make([]PointJSON, 0, len(a.Series)),
		BySource: make([]SourceCountJSON, 0, len(a.BySource)), ByCountry: make([]CountryJSON, 0, len(a.ByCountry)),
		TopEntities: make([]TermJSON, 0, len(a.TopEntities)), TopTags: make([]TagCountJSON, 0, len(a.TopTags))}
	for _, p := range a.Series {
		out.Series = append(out.Series, PointJSON{Date: p.Start.Format("2006-01-02"), Count: p.Count, Share: p.Share})
	}
	for _, o := range a.BySource {
		out.BySource = append(out.BySource, SourceCountJSON{Source: o.Name, SourceID: idPtr(o.SourceID), Count: o.Count})
	}
	for _, c := range a.ByCountry {
		out.ByCountry = append(out.ByCountry, CountryJSON{Country: c.Term, Count: c.Count})
	}
	for _, e := range a.TopEntities {
		out.TopEntities = append(out.TopEntities, TermJSON{Name: e.Term, Type: e.Type, Count: e.Count})
	}
	for _, t := range a.TopTags {
		out.TopTags = append(out.TopTags, TagCountJSON{Tag: t.Term, Count: t.Count})
	}
	return out
}

// queries reads the q parameters: one or more, each at most 500
// characters.
func queries(r *http.Request) ([]string, error) {
	var qs []string
	for _, q := range r.URL.Query()["q"] {
		q = strings.TrimSpace(q)
		if q == "" {
			continue
		}
		if utf8.RuneCountInString(q) > 500 {
			return nil, badParam("q", "must be at most 500 characters")
		}
		qs = append(qs, q)
	}
	if len(qs) == 0 {
		return nil, badParam("q", "a search query is required")
	}
	if len(qs) > search.MaxQueries {
		return nil, badParam("q", fmt.Sprintf("at most %d queries side by side, got %d", search.MaxQueries, len(qs)))
	}
	return qs, nil
}

func (s *server) explorer() (search.Explorer, error) {
	if s.cfg.Explore == nil {
		return nil, &Error{Status: http.StatusNotImplemented, Code: "not_implemented", Message: "this server does not count or export matches"}
	}
	return s.cfg.Explore, nil
}

func (s *server) attention(w http.ResponseWriter, r *http.Request) error {
	ex, err := s.explorer()
	if err != nil {
		return err
	}
	qs, err := queries(r)
	if err != nil {
		return err
	}
	f, loc, err := parseFilter(r.URL.Query())
	if err != nil {
		return err
	}
	res, err := ex.Attention(r.Context(), search.AttentionRequest{Queries: qs, Filter: f, Location: loc,
		Interval: strings.TrimSpace(r.URL.Query().Get("interval"))})
	var fe *search.FilterError
	if errors.As(err, &fe) {
		return badParam(fe.Param, fe.Msg)
	}
	if err != nil {
		return fmt.Errorf("api: attention %q: %w", qs, err)
	}
	if len(res.Queries) == 1 {
		return ok(w, r, AttentionBlock(res.Queries[0]))
	}
	out := struct {
		Queries []AttentionJSON `json:"queries"`
	}{Queries: make([]AttentionJSON, 0, len(res.Queries))}
	for _, a := range res.Queries {
		out.Queries = append(out.Queries, AttentionBlock(a))
	}
	return ok(w, r, out)
}

// searchCSV streams every article matching every word of q under the
// filters as CSV: exactly the search's total rows, read from the store a
// page at a time and written as they come, so memory stays flat however
// many there are.
func (s *server) searchCSV(w http.ResponseWriter, r *http.Request) error {
	ex, err := s.explorer()
	if err != nil {
		return err
	}
	qs, err := queries(r)
	if err != nil {
		return err
	}
	if len(qs) > 1 {
		return badParam("q", "one query per export")
	}
	f, _, err := parseFilter(r.URL.Query())
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="khabar-search.csv"`)
	h.Set("Cache-Control", "no-store")
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusOK)
		return nil
	}
	bw := bufio.NewWriterSize(w, 32<<10)
	cw, err := search.NewCSVWriter(bw)
	if err != nil {
		return err
	}
	rows := 0
	err = ex.Export(r.Context(), qs[0], f, func(row *store.MatchRow) error {
		rows++
		return cw.Write(row)
	})
	if err == nil {
		if err = cw.Flush(); err == nil {
			err = bw.Flush()
		}
	}
	if err != nil {
		if rows == 0 && !errors.Is(err, r.Context().Err()) {
			// Nothing sent yet: a clean error answer.
			h.Del("Content-Disposition")
			return fmt.Errorf("api: export %q: %w", qs[0], err)
		}
		// Part of the file is sent: cut the connection, so that the
		// client sees a failed download rather than a short file.
		s.log.Error("api export failed", "query", qs[0], "rows", rows, "err", err)
		panic(http.ErrAbortHandler)
	}
	return nil
}
